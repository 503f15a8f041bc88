import { Body, Controller, applyDecorators, Get, HttpCode, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiAgentAuth, ApiErrorResponse, ApiNotFound, ApiValidationFailed, RequireRole, uuidParam } from '@pt/platform';
import { IncidentQueueResponse, IncidentResponse, IncidentWithTimeLeftResponse, TimelineResponse } from '../api-responses.js';
import type { Request } from 'express';
import { AgentAuthGuard, agentOf } from '../agents/agent-auth.guard.js';
import { NoteDto, OptionalReasonDto, ReasonDto, ResolveDto } from './dto/actions.dto.js';
import { QueueQueryDto } from './dto/queue-query.dto.js';
import { IncidentWorkService } from './incident-work.service.js';

const IncidentId = () => Param('id', uuidParam('id'));

/** The path parameter, and the answers every action on one incident may give besides its own. */
const OneIncident = () =>
  applyDecorators(ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid' } }), ApiValidationFailed(), ApiNotFound('no incident of that id'));

/** An action on a claimed incident: it answers the incident as it is afterwards. */
const IncidentAction = (summary: string, status: 200 | 201 | 202 = 200) =>
  applyDecorators(
    ApiOperation({ summary }),
    OneIncident(),
    (status === 202 ? ApiAcceptedResponse : status === 201 ? ApiCreatedResponse : ApiOkResponse)({
      type: IncidentResponse,
      description: 'the incident afterwards',
    }),
    ApiErrorResponse(
      409,
      'the incident is not in a status that allows this (INVALID_TRANSITION), another agent holds it (NOT_CLAIMED_BY_YOU, ALREADY_CLAIMED), or another open incident exists for the order (OPEN_INCIDENT_EXISTS)',
    ),
  );

/** The agents' side of incidents: the queue, one incident, its timeline, and the actions. */
@Controller('v1/incidents')
@UseGuards(AgentAuthGuard)
@RequireRole('agent')
@ApiTags('incident work')
@ApiAgentAuth('agent')
export class IncidentWorkController {
  constructor(private readonly work: IncidentWorkService) {}

  @Get()
  @ApiOperation({ summary: 'The queue: incidents by status, reason, priority, channel, merchant, assignee and date, most urgent first' })
  @ApiOkResponse({ type: IncidentQueueResponse, description: 'a page of the queue' })
  @ApiValidationFailed()
  queue(@Query() query: QueueQueryDto, @Req() req: Request) {
    return this.work.queue(query, agentOf(req));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One incident, with the time left to its next SLA target' })
  @OneIncident()
  @ApiOkResponse({ type: IncidentWithTimeLeftResponse, description: 'the incident' })
  get(@IncidentId() id: string) {
    return this.work.get(id);
  }

  @Get(':id/timeline')
  @ApiOperation({ summary: 'Everything done to an incident, oldest first' })
  @OneIncident()
  @ApiOkResponse({ type: TimelineResponse, description: 'the timeline' })
  async timeline(@IncidentId() id: string) {
    await this.work.get(id);
    return { incidentId: id, entries: await this.work.timeline(id) };
  }

  @Post(':id/claim')
  @HttpCode(200)
  @IncidentAction('Claim an incident: it becomes yours (IN_PROGRESS)')
  claim(@IncidentId() id: string, @Req() req: Request) {
    return this.work.claim(id, agentOf(req));
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @IncidentAction('Resolve your incident with a resolution code and a note')
  resolve(@IncidentId() id: string, @Body() dto: ResolveDto, @Req() req: Request) {
    return this.work.resolve(id, agentOf(req), dto.resolutionCode, dto.note);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @IncidentAction('Reject your incident, with a reason')
  reject(@IncidentId() id: string, @Body() dto: ReasonDto, @Req() req: Request) {
    return this.work.reject(id, agentOf(req), dto.reason);
  }

  @Post(':id/escalate')
  @HttpCode(200)
  @IncidentAction('Hand your incident to a supervisor, with a reason')
  escalate(@IncidentId() id: string, @Body() dto: ReasonDto, @Req() req: Request) {
    return this.work.escalateToSupervisor(id, agentOf(req), dto.reason);
  }

  @Post(':id/recheck')
  @HttpCode(202)
  @IncidentAction('Ask reconciliation to triage the incident again (TRIAGING); the new decision arrives later', 202)
  recheck(@IncidentId() id: string, @Body() dto: OptionalReasonDto, @Req() req: Request) {
    return this.work.requestRecheck(id, agentOf(req), dto.reason);
  }

  @Post(':id/reopen')
  @HttpCode(200)
  @IncidentAction('Reopen a resolved, rejected or auto-resolved incident, with a reason')
  reopen(@IncidentId() id: string, @Body() dto: ReasonDto, @Req() req: Request) {
    return this.work.reopen(id, agentOf(req), dto.reason);
  }

  @Post(':id/notes')
  @HttpCode(201)
  @IncidentAction('Add a note to the timeline', 201)
  note(@IncidentId() id: string, @Body() dto: NoteDto, @Req() req: Request) {
    return this.work.addNote(id, agentOf(req), dto.note);
  }

  @Post(':id/force-reissue')
  @HttpCode(202)
  @RequireRole('supervisor')
  @IncidentAction('Supervisors: have reconciliation issue a new card key for the order, with a reason', 202)
  @ApiErrorResponse(403, 'the agent is not a supervisor (FORBIDDEN)')
  forceReissue(@IncidentId() id: string, @Body() dto: ReasonDto, @Req() req: Request) {
    return this.work.forceReissue(id, agentOf(req), dto.reason);
  }
}
