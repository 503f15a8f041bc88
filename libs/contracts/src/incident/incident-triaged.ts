import { ArrayMaxSize, IsArray, IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, Min } from 'class-validator';

export const INCIDENT_TRIAGED_TYPE = 'incident.triaged';

export const TRIAGE_OUTCOMES = ['AUTO_RESOLVED', 'AWAITING_CLEARING', 'ESCALATED'] as const;
export type TriageOutcome = (typeof TRIAGE_OUTCOMES)[number];

/** Reason codes of the triage table (DESIGN.md section 6). */
export const REASON_CODES = [
  'AWAITING_ORDER',
  'ORDER_NOT_FOUND',
  'IDENTITY_MISMATCH',
  'ALREADY_DELIVERED',
  'AWAITING_CLEARING',
  'PAYMENT_NOT_FOUND',
  'CLEARING_FAILED',
  'PAYMENT_REVERSED',
  'CLEARING_STUCK',
  'AMOUNT_MISMATCH',
  'DUPLICATE_PAYMENT',
  'PAID_AFTER_EXPIRY',
  'RISK_REVIEW',
  'OUT_OF_STOCK',
  'REISSUED',
  // Not rows of the table: triage could not decide.
  'RECHECK_FAILED',
  'REPORT_NOT_RECEIVED',
  // Given by intake, never by triage: no decision arrived in time.
  'TRIAGE_STALLED',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

/** Triage's decision on one incident. */
export class IncidentTriagedV1 {
  @IsUUID()
  incidentId!: string;

  @IsUUID()
  decisionId!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  orderNumber!: string;

  @IsIn(TRIAGE_OUTCOMES)
  outcome!: TriageOutcome;

  @IsIn(REASON_CODES)
  reasonCode!: ReasonCode;

  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  explanation!: string;

  @IsString()
  @IsNotEmpty()
  ruleVersion!: string;

  /** Id of the first card key issued (lowest line), when one was issued; see cardKeyIds. Never the secret. */
  @IsOptional()
  @IsUUID()
  cardKeyId?: string;

  /**
   * Ids of every card key this decision issued, one per order line, lowest line first
   * (cardKeyId is the first). Absent when none was issued, and from decisions published
   * before order lines. Never the secrets.
   */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  cardKeyIds?: string[];

  @IsISO8601({ strict: true })
  decidedAt!: string;

  /**
   * The decision's number among the incident's decisions (1, 2, 3…, given by triage under
   * the order's lock): a consumer applies a decision only over one with a lower number.
   * Absent from events of older producers; then decidedAt orders them.
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  sequence?: number;

  /** The order's merchant, when the order is known (for the agents' queue filters). */
  @IsOptional()
  @IsUUID()
  merchantId?: string;
}
