import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const INCIDENT_STATUSES = ['RECEIVED', 'TRIAGING', 'AUTO_RESOLVED', 'AWAITING_CLEARING', 'ESCALATED', 'IN_PROGRESS', 'RESOLVED', 'REJECTED'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** Statuses in which a second report for the same order and type joins the existing incident. */
export const OPEN_STATUSES: IncidentStatus[] = ['RECEIVED', 'TRIAGING', 'AWAITING_CLEARING', 'ESCALATED', 'IN_PROGRESS'];

const bigintAsString = { to: (v: string) => v, from: (v: string | null) => v };

@Entity({ name: 'incidents' })
export class IncidentEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'ticket_number', type: 'text' })
  ticketNumber!: string;

  @Column({ name: 'incident_type', type: 'text' })
  incidentType!: string;

  @Column({ type: 'text' })
  source!: string;

  @Column({ type: 'text' })
  status!: IncidentStatus;

  @Column({ name: 'order_number', type: 'text' })
  orderNumber!: string;

  @Column({ name: 'account_id', type: 'text' })
  accountId!: string;

  @Column({ name: 'phone_last4_hash', type: 'text', nullable: true })
  phoneLast4Hash!: string | null;

  @Column({ name: 'amount_minor', type: 'bigint', transformer: bigintAsString })
  amountMinor!: string;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ name: 'paid_at', type: 'timestamptz' })
  paidAt!: Date;

  @Column({ type: 'text' })
  channel!: string;

  @Column({ name: 'payment_reference', type: 'text', nullable: true })
  paymentReference!: string | null;

  @Column({ type: 'boolean' })
  urgent!: boolean;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'text', nullable: true })
  outcome!: string | null;

  @Column({ name: 'reason_code', type: 'text', nullable: true })
  reasonCode!: string | null;

  @Column({ type: 'text', nullable: true })
  explanation!: string | null;

  @Column({ name: 'decision_id', type: 'uuid', nullable: true })
  decisionId!: string | null;

  /** The first of cardKeyIds (the lowest line), or null. */
  @Column({ name: 'card_key_id', type: 'uuid', nullable: true })
  cardKeyId!: string | null;

  /** Every card key issued for the incident, by triage (one per order line) or on a supervisor's order. */
  @Column({ name: 'card_key_ids', type: 'uuid', array: true, default: () => "'{}'" })
  cardKeyIds!: string[];

  @Column({ name: 'triaged_at', type: 'timestamptz', nullable: true })
  triagedAt!: Date | null;

  /** Reconciliation's number of the last decision applied (1, 2, 3… per incident); null when none carrying one was. */
  @Column({ name: 'decision_sequence', type: 'int', nullable: true })
  decisionSequence!: number | null;

  @Column({ type: 'text' })
  priority!: 'P1' | 'P2' | 'P3';

  @Column({ name: 'merchant_id', type: 'uuid', nullable: true })
  merchantId!: string | null;

  @Column({ name: 'assignee_id', type: 'uuid', nullable: true })
  assigneeId!: string | null;

  @Column({ name: 'needs_supervisor', type: 'boolean' })
  needsSupervisor!: boolean;

  @Column({ name: 'resolution_code', type: 'text', nullable: true })
  resolutionCode!: string | null;

  @Column({ name: 'first_response_due_at', type: 'timestamptz', nullable: true })
  firstResponseDueAt!: Date | null;

  @Column({ name: 'resolution_due_at', type: 'timestamptz', nullable: true })
  resolutionDueAt!: Date | null;

  @Column({ name: 'first_responded_at', type: 'timestamptz', nullable: true })
  firstRespondedAt!: Date | null;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Column({ name: 'sla_paused_since', type: 'timestamptz', nullable: true })
  slaPausedSince!: Date | null;

  @Column({ name: 'sla_paused_minutes', type: 'double precision' })
  slaPausedMinutes!: number;

  @Column({ name: 'sla_breached_first_response', type: 'boolean' })
  slaBreachedFirstResponse!: boolean;

  @Column({ name: 'sla_breached_resolution', type: 'boolean' })
  slaBreachedResolution!: boolean;

  /** A buyer token vouched for accountId when it was reported. */
  @Column({ name: 'buyer_verified', type: 'boolean' })
  buyerVerified!: boolean;

  /** The channel client that filed it (buyer reports). */
  @Column({ name: 'channel_client_id', type: 'uuid', nullable: true })
  channelClientId!: string | null;

  @Column({ name: 'correlation_id', type: 'text' })
  correlationId!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** What is known when an incident is opened; everything else starts empty. */
export type NewIncidentFacts = Pick<
  IncidentEntity,
  | 'id'
  | 'ticketNumber'
  | 'incidentType'
  | 'source'
  | 'status'
  | 'orderNumber'
  | 'accountId'
  | 'phoneLast4Hash'
  | 'amountMinor'
  | 'currency'
  | 'paidAt'
  | 'channel'
  | 'paymentReference'
  | 'urgent'
  | 'description'
  | 'priority'
  | 'correlationId'
> &
  Partial<Pick<IncidentEntity, 'outcome' | 'reasonCode' | 'explanation' | 'decisionId' | 'triagedAt'>>;

/** A new incident: no decision, no agent, SLA clock running from `now`. */
export function newIncident(facts: NewIncidentFacts, now: Date): IncidentEntity {
  return Object.assign(new IncidentEntity(), {
    outcome: null,
    reasonCode: null,
    explanation: null,
    decisionId: null,
    cardKeyId: null,
    cardKeyIds: [],
    triagedAt: null,
    merchantId: null,
    assigneeId: null,
    needsSupervisor: false,
    resolutionCode: null,
    firstRespondedAt: null,
    resolvedAt: null,
    slaPausedSince: null,
    slaPausedMinutes: 0,
    slaBreachedFirstResponse: false,
    slaBreachedResolution: false,
    buyerVerified: false,
    channelClientId: null,
    createdAt: now,
    updatedAt: now,
    ...facts,
  });
}
