import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiAgentAuth, ApiError, ApiNotFound, ApiValidationFailed, RequireRole, uuidParam } from '@pt/platform';
import { DecisionsResponse } from './dto/decision-responses.js';
import { AgentTokenGuard } from '../access/agent-token.guard.js';
import { TriageRepository, type StoredDecision } from './triage.repository.js';

/** The frozen evidence behind every decision on an incident, newest last. */
@Controller('v1/decisions')
@UseGuards(AgentTokenGuard)
@RequireRole('agent')
@ApiTags('decisions')
@ApiAgentAuth('agent')
export class DecisionsController {
  constructor(private readonly triage: TriageRepository) {}

  @Get(':incidentId')
  @ApiOperation({ summary: 'The decisions triage made on an incident, with the evidence each one saw' })
  @ApiParam({ name: 'incidentId', schema: { type: 'string', format: 'uuid' } })
  @ApiOkResponse({ type: DecisionsResponse, description: 'the decisions, newest last' })
  @ApiValidationFailed()
  @ApiNotFound('no decision on that incident')
  async forIncident(
    @Param('incidentId', uuidParam('incidentId'))
    incidentId: string,
  ): Promise<{ incidentId: string; decisions: StoredDecision[] }> {
    const decisions = await this.triage.decisionsOf(incidentId);
    if (decisions.length === 0) throw ApiError.notFound(`decisions for incident ${incidentId}`);
    return { incidentId, decisions };
  }
}
