import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const INCIDENT_STATUSES = [
  'RECEIVED',
  'TRIAGING',
  'AUTO_RESOLVED',
  'AWAITING_CLEARING',
  'ESCALATED',
  'IN_PROGRESS',
  'RESOLVED',
  'REJECTED',
] as const;
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

  @Column({ name: 'card_key_id', type: 'uuid', nullable: true })
  cardKeyId!: string | null;

  @Column({ name: 'triaged_at', type: 'timestamptz', nullable: true })
  triagedAt!: Date | null;

  @Column({ name: 'correlation_id', type: 'text' })
  correlationId!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
