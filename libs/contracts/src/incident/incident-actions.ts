import { IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

export const INCIDENT_ACTION_TYPES = {
  recheckRequested: 'incident.recheck-requested',
  forceReissueRequested: 'incident.force-reissue-requested',
  actionCompleted: 'incident.action-completed',
  slaBreached: 'incident.sla-breached',
} as const;

/** An agent asked triage to look at an incident again (published by intake on incident.commands.v1). */
export class IncidentRecheckRequestedV1 {
  @IsUUID()
  incidentId!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  orderNumber!: string;

  @IsUUID()
  requestedBy!: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;

  @IsISO8601({ strict: true })
  requestedAt!: string;
}

/** A supervisor ordered a card key issued regardless of the table (published by intake on incident.commands.v1). */
export class IncidentForceReissueRequestedV1 {
  @IsUUID()
  incidentId!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  orderNumber!: string;

  @IsUUID()
  requestedBy!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason!: string;

  @IsISO8601({ strict: true })
  requestedAt!: string;
}

export const ACTION_RESULTS = ['ISSUED', 'ALREADY_ISSUED', 'OUT_OF_STOCK', 'ORDER_NOT_FOUND', 'REVEALED'] as const;

/** What reconciliation did with an agent's request (published on incident.triaged.v1). */
export class IncidentActionCompletedV1 {
  @IsUUID()
  incidentId!: string;

  @IsIn(['FORCE_REISSUE', 'REVEAL'])
  action!: 'FORCE_REISSUE' | 'REVEAL';

  /** The agent who asked. */
  @IsOptional()
  @IsUUID()
  agentId?: string;

  @IsIn(ACTION_RESULTS)
  result!: (typeof ACTION_RESULTS)[number];

  @IsOptional()
  @IsUUID()
  cardKeyId?: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  detail!: string;

  @IsISO8601({ strict: true })
  completedAt!: string;
}

/** An incident missed one of its SLA targets (published by intake once per breach). */
export class IncidentSlaBreachedV1 {
  @IsUUID()
  incidentId!: string;

  @IsString()
  @IsNotEmpty()
  ticketNumber!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  orderNumber!: string;

  @IsIn(['FIRST_RESPONSE', 'RESOLUTION'])
  target!: 'FIRST_RESPONSE' | 'RESOLUTION';

  @IsIn(['P1', 'P2', 'P3'])
  priority!: 'P1' | 'P2' | 'P3';

  @IsISO8601({ strict: true })
  dueAt!: string;

  @IsISO8601({ strict: true })
  breachedAt!: string;
}
