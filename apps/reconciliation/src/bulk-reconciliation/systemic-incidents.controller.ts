import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiAdminAuth, ApiError, ApiNotFound, ApiValidationFailed, uuidParam } from '@pt/platform';
import { SystemicIncidentListResponse, SystemicIncidentOrdersResponse } from './dto/recon-responses.js';
import { AdminTokenGuard } from '@pt/platform';
import { PageQueryDto, SystemicIncidentsQueryDto } from './dto/recon-run.dto.js';
import { ReconRunRepository } from './recon-run.repository.js';

/**
 * Systemic incidents: a run found more orders owed a delivery than RECON_INCIDENT_CAP, so
 * it opened none one by one and raised one of these (intake shows it as an incident of
 * type SYSTEMIC_DISCREPANCY). Lists the orders it stands for.
 */
@Controller('v1/reconciliation/systemic-incidents')
@UseGuards(AdminTokenGuard)
@ApiTags('reconciliation')
@ApiAdminAuth()
@ApiValidationFailed()
export class SystemicIncidentsController {
  constructor(private readonly runs: ReconRunRepository) {}

  @Get()
  @ApiOperation({ summary: 'Systemic incidents, newest first' })
  @ApiOkResponse({ type: SystemicIncidentListResponse, description: 'the systemic incidents' })
  async list(@Query() query: SystemicIncidentsQueryDto) {
    return { systemicIncidents: await this.runs.listSystemicIncidents({ status: query.status, limit: query.limit ?? 50 }) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'A systemic incident and a page of the orders it stands for' })
  @ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid' } })
  @ApiOkResponse({ type: SystemicIncidentOrdersResponse, description: 'the incident and its orders' })
  @ApiNotFound('no systemic incident of that id')
  async get(
    @Param('id', uuidParam('id'))
    id: string,
    @Query() query: PageQueryDto,
  ) {
    const incident = await this.runs.findSystemicIncident(id);
    if (!incident) throw ApiError.notFound(`systemic incident ${id}`);
    const limit = query.limit ?? 100;
    const orders = await this.runs.systemicIncidentOrders(incident.runId, limit, query.after ?? 0);
    return { ...incident, orders, nextAfter: orders.length === limit ? orders[orders.length - 1].seq : null };
  }
}
