import { INCIDENT_TYPES, IsMinorUnits, IsTimestamp, type IncidentType } from '@pt/contracts';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** Body of POST /v1/incidents: what the buyer (or the help-center bot) reports. */
export class CreateIncidentDto {
  @IsOptional()
  @IsIn(INCIDENT_TYPES, { message: `type must be one of ${INCIDENT_TYPES.join(', ')}` })
  type?: IncidentType;

  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  orderNumber!: string;

  /** The buyer's account; left out when a buyer token names it (and must match it when sent). */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  accountId?: string;

  @IsMinorUnits({ message: 'amountMinor must be the paid amount in integer minor units, as a string of digits (e.g. "4999" for 49.99)' })
  amountMinor!: string;

  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code in capitals, e.g. CNY' })
  currency!: string;

  @IsTimestamp({ message: 'paidAt must be an ISO 8601 timestamp with a time zone (Z or ±hh:mm), e.g. 2026-11-21T10:15:00Z' })
  paidAt!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(32)
  channel!: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  paymentReference?: string;

  @IsOptional()
  @Matches(/^\d{4}$/, { message: 'phoneLast4 must be exactly four digits' })
  phoneLast4?: string;

  @IsOptional()
  @IsBoolean()
  urgent?: boolean;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;
}
