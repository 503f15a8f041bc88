import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import {
  API_TIMESTAMP as TIMESTAMP,
  API_NULLABLE_TIMESTAMP as NULLABLE_TIMESTAMP,
  API_MINOR_UNITS as MINOR_UNITS,
  API_COUNTS as COUNTS,
  apiNullOr as nullOr,
} from '@pt/platform';
import { DISCREPANCY_CATEGORIES } from '../recon-run.view.js';

// The shapes of bulk reconciliation's answers for the OpenAPI document (see RunView, DiscrepancyView and SystemicIncidentView); settings and counters by reason are free-form objects.

@ApiSchema({ name: 'RejectedRow' })
class RejectedRowResponse {
  @ApiProperty({ type: 'integer', description: 'line of the statement file' })
  line!: number;

  @ApiProperty()
  reason!: string;

  @ApiProperty()
  message!: string;
}

@ApiSchema({ name: 'RunProgress' })
class RunProgressResponse {
  @ApiProperty({ type: 'integer' })
  bytesRead!: number;

  @ApiProperty({ type: 'integer' })
  rowsRead!: number;

  @ApiProperty({ type: 'integer' })
  rowsRejected!: number;

  @ApiProperty({ type: 'integer' })
  rowsLoaded!: number;
}

@ApiSchema({ name: 'RunRejections' })
class RunRejectionsResponse {
  @ApiProperty({ type: 'integer' })
  count!: number;

  @ApiProperty(COUNTS)
  byReason!: Record<string, number>;

  @ApiProperty({ type: [RejectedRowResponse], description: 'the first 20' })
  first!: RejectedRowResponse[];
}

@ApiSchema({ name: 'RunIncidents' })
class RunIncidentsResponse {
  @ApiProperty({ type: 'integer', description: 'RECON_INCIDENT_CAP: above it, one systemic incident instead' })
  cap!: number;

  @ApiProperty({ type: 'integer' })
  opened!: number;

  @ApiProperty({ type: 'integer' })
  alreadyOpen!: number;

  @ApiProperty({ type: 'integer', description: 'dry run: what a real run would have opened' })
  wouldOpen!: number;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  systemicIncidentId!: string | null;

  @ApiProperty({ type: 'integer', description: 'orders held back into the systemic incident instead of opened one by one' })
  heldInSystemicIncident!: number;
}

@ApiSchema({ name: 'RunSummary', description: 'What a finished run found and did.' })
class RunSummaryResponse {
  @ApiProperty({ type: 'integer' })
  statementRows!: number;

  @ApiProperty({ type: 'integer' })
  matched!: number;

  @ApiProperty({ ...COUNTS, description: `one count per category: ${DISCREPANCY_CATEGORIES.join(', ')}` })
  byCategory!: Record<string, number>;

  @ApiProperty(COUNTS)
  byFinding!: Record<string, number>;

  @ApiProperty({ type: RunIncidentsResponse })
  incidents!: RunIncidentsResponse;

  @ApiProperty({ type: 'integer' })
  clearingMirrorUpdates!: number;

  @ApiProperty({ type: 'integer' })
  durationMs!: number;

  @ApiProperty({ ...COUNTS, description: 'where the time went: importMs, repeatsMs, matchMs, recordMs, applyMs' })
  timingsMs!: Record<string, number>;

  @ApiProperty({ type: 'number' })
  rowsPerSecond!: number;
}

@ApiSchema({ name: 'Run' })
@ApiExtraModels(RunSummaryResponse)
export class RunResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  channel!: string;

  @ApiProperty({ format: 'date' })
  periodStart!: string;

  @ApiProperty({ format: 'date' })
  periodEnd!: string;

  @ApiProperty({ enum: ['FILE', 'MIRROR'] })
  source!: string;

  @ApiProperty({ type: String, nullable: true, description: 'the statement format, for a file' })
  format!: string | null;

  @ApiProperty()
  dryRun!: boolean;

  @ApiProperty({ enum: ['RUNNING', 'SUCCEEDED', 'FAILED', 'REFUSED'] })
  status!: string;

  @ApiProperty({ enum: ['IMPORTING', 'MATCHING', 'OPENING_INCIDENTS', 'DONE'] })
  phase!: string;

  @ApiProperty({ type: RunProgressResponse })
  progress!: RunProgressResponse;

  @ApiProperty({ type: RunRejectionsResponse })
  rejections!: RunRejectionsResponse;

  @ApiProperty({ ...nullOr(() => RunSummaryResponse), description: 'once the run is over' })
  summary!: RunSummaryResponse | null;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the settings the run used' })
  settings!: Record<string, unknown>;

  @ApiProperty({ type: String, nullable: true })
  error!: string | null;

  @ApiProperty({ example: 'HTTP' })
  requestedBy!: string;

  @ApiProperty(TIMESTAMP)
  startedAt!: string;

  @ApiProperty(TIMESTAMP)
  updatedAt!: string;

  @ApiProperty(NULLABLE_TIMESTAMP)
  finishedAt!: string | null;
}

@ApiSchema({ name: 'RunList' })
export class RunListResponse {
  @ApiProperty({ type: [RunResponse], description: 'newest first' })
  runs!: RunResponse[];
}

@ApiSchema({ name: 'RunOutcome', description: 'A statement run that did not succeed: the error and the run.' })
export class RunOutcomeResponse {
  @ApiProperty({ enum: ['STATEMENT_REFUSED', 'RUN_FAILED'] })
  error!: string;

  @ApiProperty({ type: String, nullable: true })
  message!: string | null;

  @ApiProperty({ type: RunResponse })
  run!: RunResponse;
}

@ApiSchema({ name: 'RunInProgress' })
export class RunInProgressResponse {
  @ApiProperty({ enum: ['RUN_IN_PROGRESS'] })
  error!: string;

  @ApiProperty()
  message!: string;

  @ApiProperty({ format: 'uuid', description: 'the run already in progress' })
  runId!: string;

  @ApiPropertyOptional()
  correlationId?: string;
}

@ApiSchema({ name: 'RunRejectedRows' })
export class RunRejectedRowsResponse {
  @ApiProperty({ format: 'uuid' })
  runId!: string;

  @ApiProperty({ type: [RejectedRowResponse] })
  rejections!: RejectedRowResponse[];

  @ApiProperty({ type: 'integer', nullable: true, description: 'pass as after for the next page; null on the last page' })
  nextAfter!: number | null;
}

@ApiSchema({ name: 'StatementSide' })
class StatementSideResponse {
  @ApiProperty()
  status!: string;

  @ApiProperty(MINOR_UNITS)
  amountMinor!: string;

  @ApiProperty()
  currency!: string;

  @ApiProperty(TIMESTAMP)
  at!: string;
}

@ApiSchema({ name: 'LedgerSide' })
class LedgerSideResponse {
  @ApiProperty(MINOR_UNITS)
  amountMinor!: string;

  @ApiProperty()
  currency!: string;

  @ApiProperty(NULLABLE_TIMESTAMP)
  paidAt!: string | null;
}

@ApiSchema({ name: 'OrderSide' })
class OrderSideResponse {
  @ApiProperty()
  accountId!: string;

  @ApiProperty()
  status!: string;

  @ApiProperty({ type: Boolean, nullable: true })
  delivered!: boolean | null;
}

@ApiSchema({ name: 'Discrepancy' })
@ApiExtraModels(StatementSideResponse, LedgerSideResponse, OrderSideResponse)
export class DiscrepancyResponse {
  @ApiProperty({ type: 'integer' })
  seq!: number;

  @ApiProperty({ enum: DISCREPANCY_CATEGORIES })
  category!: string;

  @ApiProperty()
  finding!: string;

  @ApiProperty()
  paymentReference!: string;

  @ApiProperty({ type: String, nullable: true })
  orderNumber!: string | null;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'line of the statement file; null for a ledger payment the statement lacks, or a run over the mirror',
  })
  line!: number | null;

  @ApiProperty(nullOr(() => StatementSideResponse))
  statement!: StatementSideResponse | null;

  @ApiProperty(nullOr(() => LedgerSideResponse))
  ledger!: LedgerSideResponse | null;

  @ApiProperty(nullOr(() => OrderSideResponse))
  order!: OrderSideResponse | null;

  @ApiProperty()
  action!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  incidentId!: string | null;
}

@ApiSchema({ name: 'DiscrepancyPage' })
export class DiscrepancyPageResponse {
  @ApiProperty({ format: 'uuid' })
  runId!: string;

  @ApiProperty({ type: String, nullable: true, enum: DISCREPANCY_CATEGORIES })
  category!: string | null;

  @ApiProperty({ type: [DiscrepancyResponse], description: 'oldest seq first' })
  discrepancies!: DiscrepancyResponse[];

  @ApiProperty({ type: 'integer', nullable: true, description: 'pass as after for the next page; null on the last page' })
  nextAfter!: number | null;
}

@ApiSchema({ name: 'StatementFormats' })
export class StatementFormatsResponse {
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'the configured statement formats, one per channel: name, channel, delimiter, columns, amount unit, status words',
  })
  formats!: Record<string, unknown>[];
}

@ApiSchema({ name: 'SystemicIncident' })
export class SystemicIncidentResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  runId!: string;

  @ApiProperty()
  channel!: string;

  @ApiProperty({ format: 'date' })
  periodStart!: string;

  @ApiProperty({ format: 'date' })
  periodEnd!: string;

  @ApiProperty()
  category!: string;

  @ApiProperty({ enum: ['OPEN', 'CLOSED'] })
  status!: string;

  @ApiProperty({ type: 'integer' })
  orderCount!: number;

  @ApiProperty({ type: 'integer' })
  cap!: number;

  @ApiProperty(MINOR_UNITS)
  totalAmountMinor!: string;

  @ApiProperty()
  currency!: string;

  @ApiProperty()
  explanation!: string;

  @ApiProperty(TIMESTAMP)
  createdAt!: string;
}

@ApiSchema({ name: 'SystemicIncidentList' })
export class SystemicIncidentListResponse {
  @ApiProperty({ type: [SystemicIncidentResponse] })
  systemicIncidents!: SystemicIncidentResponse[];
}

@ApiSchema({ name: 'SystemicIncidentOrders' })
export class SystemicIncidentOrdersResponse extends SystemicIncidentResponse {
  @ApiProperty({ type: [DiscrepancyResponse], description: 'the orders it stands for' })
  orders!: DiscrepancyResponse[];

  @ApiProperty({ type: 'integer', nullable: true, description: 'pass as after for the next page; null on the last page' })
  nextAfter!: number | null;
}
