import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { ApiError, RequireRole, uuidParam } from '@pt/platform';
import { AgentTokenGuard } from '../access/agent-token.guard.js';
import { TriageRepository, type StoredDecision } from './triage.repository.js';

/** The frozen evidence behind every decision on an incident, newest last. */
@Controller('v1/decisions')
@UseGuards(AgentTokenGuard)
@RequireRole('agent')
export class DecisionsController {
  constructor(private readonly triage: TriageRepository) {}

  @Get(':incidentId')
  async forIncident(
    @Param('incidentId', uuidParam('incidentId'))
    incidentId: string,
  ): Promise<{ incidentId: string; decisions: StoredDecision[] }> {
    const decisions = await this.triage.decisionsOf(incidentId);
    if (decisions.length === 0) throw ApiError.notFound(`decisions for incident ${incidentId}`);
    return { incidentId, decisions };
  }
}
