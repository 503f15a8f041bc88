import { IsBoolean, IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { CURRENCY_PATTERN, IsMinorUnits } from '../money.js';

export const INCIDENT_REPORTED_TYPE = 'incident.reported';

export const INCIDENT_TYPES = ['PAID_NOT_CREDITED', 'CARD_KEY_INVALID'] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];

export const INCIDENT_SOURCES = ['BUYER', 'RECONCILIATION'] as const;

/** A buyer's report (or one found by reconciliation), as handed to triage. */
export class IncidentReportedV1 {
  @IsUUID()
  incidentId!: string;

  @IsString()
  @IsNotEmpty()
  ticketNumber!: string;

  @IsIn(INCIDENT_TYPES)
  incidentType!: IncidentType;

  @IsIn(INCIDENT_SOURCES)
  source!: (typeof INCIDENT_SOURCES)[number];

  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  orderNumber!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  accountId!: string;

  /** SHA-256 hex of the phone last four the reporter gave, if any. */
  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/)
  phoneLast4Hash?: string;

  @IsMinorUnits()
  amountMinor!: string;

  @Matches(CURRENCY_PATTERN)
  currency!: string;

  @IsISO8601({ strict: true })
  paidAt!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(32)
  channel!: string;

  @IsOptional()
  @IsString()
  @MaxLength(128)
  paymentReference?: string;

  @IsBoolean()
  urgent!: boolean;

  @IsISO8601({ strict: true })
  reportedAt!: string;
}
