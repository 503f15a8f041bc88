import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { RequireRole, uuidParam } from '@pt/platform';
import type { Request } from 'express';
import { AgentAuthGuard, agentOf } from '../agents/agent-auth.guard.js';
import { NoteDto, OptionalReasonDto, ReasonDto, ResolveDto } from './dto/actions.dto.js';
import { QueueQueryDto } from './dto/queue-query.dto.js';
import { IncidentWorkService } from './incident-work.service.js';

const IncidentId = () =>
  Param(
    'id',
    uuidParam('id'),
  );

/** The agents' side of incidents: the queue, one incident, its timeline, and the actions. */
@Controller('v1/incidents')
@UseGuards(AgentAuthGuard)
@RequireRole('agent')
export class IncidentWorkController {
  constructor(private readonly work: IncidentWorkService) {}

  @Get()
  queue(@Query() query: QueueQueryDto, @Req() req: Request) {
    return this.work.queue(query, agentOf(req));
  }

  @Get(':id')
  get(@IncidentId() id: string) {
    return this.work.get(id);
  }

  @Get(':id/timeline')
  async timeline(@IncidentId() id: string) {
    await this.work.get(id);
    return { incidentId: id, entries: await this.work.timeline(id) };
  }

  @Post(':id/claim')
  @HttpCode(200)
  claim(@IncidentId() id: string, @Req() req: Request) {
    return this.work.claim(id, agentOf(req));
  }

  @Post(':id/resolve')
  @HttpCode(200)
  resolve(@IncidentId() id: string, @Body() dto: ResolveDto, @Req() req: Request) {
    return this.work.resolve(id, agentOf(req), dto.resolutionCode, dto.note);
  }

  @Post(':id/reject')
  @HttpCode(200)
  reject(@IncidentId() id: string, @Body() dto: ReasonDto, @Req() req: Request) {
    return this.work.reject(id, agentOf(req), dto.reason);
  }

  @Post(':id/escalate')
  @HttpCode(200)
  escalate(@IncidentId() id: string, @Body() dto: ReasonDto, @Req() req: Request) {
    return this.work.escalateToSupervisor(id, agentOf(req), dto.reason);
  }

  @Post(':id/recheck')
  @HttpCode(202)
  recheck(@IncidentId() id: string, @Body() dto: OptionalReasonDto, @Req() req: Request) {
    return this.work.requestRecheck(id, agentOf(req), dto.reason);
  }

  @Post(':id/reopen')
  @HttpCode(200)
  reopen(@IncidentId() id: string, @Body() dto: ReasonDto, @Req() req: Request) {
    return this.work.reopen(id, agentOf(req), dto.reason);
  }

  @Post(':id/notes')
  @HttpCode(201)
  note(@IncidentId() id: string, @Body() dto: NoteDto, @Req() req: Request) {
    return this.work.addNote(id, agentOf(req), dto.note);
  }

  @Post(':id/force-reissue')
  @HttpCode(202)
  @RequireRole('supervisor')
  forceReissue(@IncidentId() id: string, @Body() dto: ReasonDto, @Req() req: Request) {
    return this.work.forceReissue(id, agentOf(req), dto.reason);
  }
}
