import { INCIDENT_TYPES } from '@pt/contracts';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import { CHANNEL_KINDS } from './channel-clients/channel-client.repository.js';
import { INCIDENT_STATUSES } from './incidents/incident.entity.js';

// The shapes of intake's answers, for the OpenAPI document (see IncidentView, ReportAnswer,
// TicketView, SignedIn, AgentAccessView, ChannelClientView and CreatedChannelKey).

const TIMESTAMP = { type: String, format: 'date-time', description: 'UTC, ISO 8601' } as const;
const NULLABLE_TIMESTAMP = { type: String, format: 'date-time', nullable: true } as const;
const MINOR_UNITS = { type: String, pattern: '^(0|[1-9][0-9]{0,17})$', description: 'integer amount in minor units, as a string', example: '4999' } as const;
const ROLES = ['agent', 'supervisor'];

@ApiSchema({ name: 'ReportLinks' })
class ReportLinksResponse {
  @ApiProperty({ example: '/v1/incidents/3b0c…' })
  self!: string;

  @ApiPropertyOptional({ description: 'verified reports only: where the buyer follows the ticket' })
  ticket?: string;
}

@ApiSchema({ name: 'ReportAnswer' })
export class ReportAnswerResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'PT-20261121-000001' })
  ticketNumber!: string;

  @ApiProperty({ enum: INCIDENT_TYPES })
  type!: string;

  @ApiProperty()
  orderNumber!: string;

  @ApiProperty({ description: 'a buyer token vouched for the account' })
  verified!: boolean;

  @ApiProperty({ description: 'true when the report joined an open incident of the same order and type (200), false when it opened one (201)' })
  existing!: boolean;

  @ApiProperty(TIMESTAMP)
  createdAt!: string;

  @ApiPropertyOptional({ enum: INCIDENT_STATUSES, description: 'verified reports only' })
  status?: string;

  @ApiProperty({ type: ReportLinksResponse })
  links!: ReportLinksResponse;
}

@ApiSchema({ name: 'Ticket' })
export class TicketResponse {
  @ApiProperty({ example: 'PT-20261121-000001' })
  ticketNumber!: string;

  @ApiProperty({ enum: INCIDENT_TYPES })
  type!: string;

  @ApiProperty()
  orderNumber!: string;

  @ApiProperty({ enum: INCIDENT_STATUSES })
  status!: string;

  @ApiProperty({ type: String, nullable: true })
  outcome!: string | null;

  @ApiProperty({ type: String, nullable: true })
  reasonCode!: string | null;

  @ApiProperty({ description: 'a re-issued or delivered card key can be read with POST /v1/card-keys/reveal (reconciliation)' })
  cardKeyAvailable!: boolean;

  @ApiProperty(TIMESTAMP)
  createdAt!: string;

  @ApiProperty(TIMESTAMP)
  updatedAt!: string;
}

@ApiSchema({ name: 'IncidentDecision' })
class IncidentDecisionResponse {
  @ApiProperty({ type: String, nullable: true })
  outcome!: string | null;

  @ApiProperty({ type: String, nullable: true })
  reasonCode!: string | null;

  @ApiProperty({ type: String, nullable: true })
  explanation!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  decisionId!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'the first of cardKeyIds' })
  cardKeyId!: string | null;

  @ApiProperty({
    type: [String],
    description: 'every card key issued for the incident, one per order line (an order of N units is owed N keys); ids only',
  })
  cardKeyIds!: string[];

  @ApiProperty(NULLABLE_TIMESTAMP)
  decidedAt!: string | null;
}

@ApiSchema({ name: 'IncidentSla' })
class IncidentSlaResponse {
  @ApiProperty(NULLABLE_TIMESTAMP)
  firstResponseDueAt!: string | null;

  @ApiProperty(NULLABLE_TIMESTAMP)
  resolutionDueAt!: string | null;

  @ApiProperty(NULLABLE_TIMESTAMP)
  firstRespondedAt!: string | null;

  @ApiProperty(NULLABLE_TIMESTAMP)
  resolvedAt!: string | null;

  @ApiProperty()
  paused!: boolean;

  @ApiProperty()
  breachedFirstResponse!: boolean;

  @ApiProperty()
  breachedResolution!: boolean;
}

@ApiSchema({ name: 'TimeLeft' })
class TimeLeftResponse {
  @ApiProperty({ enum: ['FIRST_RESPONSE', 'RESOLUTION'] })
  target!: string;

  @ApiProperty(TIMESTAMP)
  dueAt!: string;

  @ApiProperty({ type: 'integer', description: 'business minutes left; negative once missed' })
  businessMinutes!: number;

  @ApiProperty()
  paused!: boolean;
}

@ApiSchema({ name: 'Incident' })
@ApiExtraModels(IncidentDecisionResponse)
export class IncidentResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'PT-20261121-000001' })
  ticketNumber!: string;

  @ApiProperty({ enum: INCIDENT_TYPES })
  type!: string;

  @ApiProperty({ description: 'who reported it (a buyer through a channel, or reconciliation)' })
  source!: string;

  @ApiProperty({ enum: INCIDENT_STATUSES })
  status!: string;

  @ApiProperty()
  orderNumber!: string;

  @ApiProperty()
  accountId!: string;

  @ApiProperty(MINOR_UNITS)
  amountMinor!: string;

  @ApiProperty({ pattern: '^[A-Z]{3}$' })
  currency!: string;

  @ApiProperty(TIMESTAMP)
  paidAt!: string;

  @ApiProperty()
  channel!: string;

  @ApiProperty({ type: String, nullable: true })
  paymentReference!: string | null;

  @ApiProperty()
  urgent!: boolean;

  @ApiProperty({ description: 'a buyer token vouched for the account when it was reported' })
  buyerVerified!: boolean;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  channelClientId!: string | null;

  @ApiProperty({ oneOf: [{ type: 'null' }, { $ref: getSchemaPath(IncidentDecisionResponse) }], description: "triage's decision, once there is one" })
  decision!: IncidentDecisionResponse | null;

  @ApiProperty({ enum: ['P1', 'P2', 'P3'] })
  priority!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  merchantId!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  assigneeId!: string | null;

  @ApiProperty()
  needsSupervisor!: boolean;

  @ApiProperty({ type: String, nullable: true })
  resolutionCode!: string | null;

  @ApiProperty({ type: IncidentSlaResponse })
  sla!: IncidentSlaResponse;

  @ApiProperty(TIMESTAMP)
  createdAt!: string;

  @ApiProperty(TIMESTAMP)
  updatedAt!: string;
}

@ApiSchema({ name: 'IncidentWithTimeLeft' })
@ApiExtraModels(TimeLeftResponse)
export class IncidentWithTimeLeftResponse extends IncidentResponse {
  @ApiProperty({ oneOf: [{ type: 'null' }, { $ref: getSchemaPath(TimeLeftResponse) }], description: 'the next SLA target, null when none applies' })
  timeLeft!: TimeLeftResponse | null;
}

@ApiSchema({ name: 'IncidentQueue' })
export class IncidentQueueResponse {
  @ApiProperty({ type: 'integer', minimum: 0 })
  total!: number;

  @ApiProperty({ type: 'integer' })
  limit!: number;

  @ApiProperty({ type: 'integer' })
  offset!: number;

  @ApiProperty({ type: [IncidentWithTimeLeftResponse] })
  items!: IncidentWithTimeLeftResponse[];
}

@ApiSchema({ name: 'TimelineEntry' })
class TimelineEntryResponse {
  @ApiProperty()
  id!: string;

  @ApiProperty(TIMESTAMP)
  at!: string;

  @ApiProperty({ format: 'uuid' })
  incidentId!: string;

  @ApiProperty({ enum: ['AGENT', 'SYSTEM', 'BUYER'] })
  actorType!: string;

  @ApiProperty()
  actorId!: string;

  @ApiProperty({ type: String, nullable: true })
  actorName!: string | null;

  @ApiProperty()
  action!: string;

  @ApiProperty({ type: String, nullable: true })
  statusBefore!: string | null;

  @ApiProperty({ type: String, nullable: true })
  statusAfter!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  before!: Record<string, unknown> | null;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  after!: Record<string, unknown> | null;

  @ApiProperty({ type: String, nullable: true })
  reason!: string | null;

  @ApiProperty({ type: String, nullable: true })
  correlationId!: string | null;
}

@ApiSchema({ name: 'Timeline' })
export class TimelineResponse {
  @ApiProperty({ format: 'uuid' })
  incidentId!: string;

  @ApiProperty({ type: [TimelineEntryResponse], description: 'oldest first' })
  entries!: TimelineEntryResponse[];
}

@ApiSchema({ name: 'SignedInAgent' })
class SignedInAgentResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  username!: string;

  @ApiProperty()
  displayName!: string;

  @ApiProperty({ enum: ROLES })
  role!: string;
}

@ApiSchema({ name: 'SignedIn' })
export class SignedInResponse {
  @ApiProperty({ description: 'the agent token: send it as Authorization: Bearer <token>' })
  token!: string;

  @ApiProperty(TIMESTAMP)
  expiresAt!: string;

  @ApiProperty({ type: SignedInAgentResponse })
  agent!: SignedInAgentResponse;
}

@ApiSchema({ name: 'Me' })
export class MeResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  username!: string;

  @ApiProperty({ enum: ROLES, description: 'the current role, which may have changed since sign-in' })
  role!: string;

  @ApiProperty({ ...TIMESTAMP, description: 'when the token expires' })
  expiresAt!: string;
}

@ApiSchema({ name: 'OtherSessionsEnded' })
export class OtherSessionsEndedResponse {
  @ApiProperty({ type: 'integer', minimum: 0 })
  otherSessionsEnded!: number;
}

@ApiSchema({ name: 'CreatedAgent' })
export class CreatedAgentResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  username!: string;

  @ApiProperty({ enum: ROLES })
  role!: string;
}

@ApiSchema({ name: 'Agent' })
export class AgentResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  username!: string;

  @ApiProperty()
  displayName!: string;

  @ApiProperty({ enum: ROLES })
  role!: string;

  @ApiProperty()
  disabled!: boolean;

  @ApiProperty({
    type: 'integer',
    minimum: 1,
    description: 'raised by every change of role, password or access; other services trust a token only as new as it',
  })
  accessVersion!: number;
}

@ApiSchema({ name: 'AgentAccess' })
export class AgentAccessResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  username!: string;

  @ApiProperty({ enum: ROLES })
  role!: string;

  @ApiProperty()
  disabled!: boolean;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'sessions this change ended' })
  sessionsEnded!: number;
}

@ApiSchema({ name: 'ChannelKey' })
export class ChannelKeyResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: String, nullable: true })
  label!: string | null;

  @ApiProperty({ description: 'the first characters of the key, to tell keys apart', example: 'pt_chan_Ab3x' })
  prefix!: string;

  @ApiProperty({ enum: ['ACTIVE', 'REVOKED'] })
  status!: string;

  @ApiProperty(TIMESTAMP)
  createdAt!: string;

  @ApiProperty(NULLABLE_TIMESTAMP)
  revokedAt!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the key that replaced it, when it was rotated' })
  replacedBy!: string | null;
}

@ApiSchema({ name: 'CreatedChannelKey' })
export class CreatedChannelKeyResponse extends ChannelKeyResponse {
  @ApiProperty({ format: 'uuid' })
  clientId!: string;

  @ApiProperty({ pattern: '^pt_chan_[A-Za-z0-9_-]{43}$', description: 'the secret: shown here once, stored only as a hash' })
  secret!: string;
}

@ApiSchema({ name: 'ChannelClient' })
export class ChannelClientResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: CHANNEL_KINDS })
  kind!: string;

  @ApiProperty(TIMESTAMP)
  createdAt!: string;

  @ApiProperty({ description: 'the operator credential that registered it' })
  createdBy!: string;

  @ApiProperty({ type: [ChannelKeyResponse] })
  keys!: ChannelKeyResponse[];
}

@ApiSchema({ name: 'CreatedChannelClient' })
export class CreatedChannelClientResponse {
  @ApiProperty({ type: ChannelClientResponse })
  client!: ChannelClientResponse;

  @ApiProperty({ type: CreatedChannelKeyResponse })
  key!: CreatedChannelKeyResponse;
}

@ApiSchema({ name: 'ChannelClientList' })
export class ChannelClientListResponse {
  @ApiProperty({ type: [ChannelClientResponse] })
  data!: ChannelClientResponse[];
}
