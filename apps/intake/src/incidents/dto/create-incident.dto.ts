import { INCIDENT_TYPES, IsMinorUnits, IsTimestamp, type IncidentType } from '@pt/contracts';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

/** Body of POST /v1/incidents: what the buyer (or the help-center bot) reports. */
@ApiSchema({ name: 'CreateIncident' })
export class CreateIncidentDto {
  @ApiPropertyOptional({ enum: INCIDENT_TYPES, default: 'PAID_NOT_CREDITED' })
  @IsOptional()
  @IsIn(INCIDENT_TYPES, { message: `type must be one of ${INCIDENT_TYPES.join(', ')}` })
  type?: IncidentType;

  @ApiProperty({ minLength: 1, maxLength: 64 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  orderNumber!: string;

  /** The buyer's account; left out when a buyer token names it (and must match it when sent). */
  @ApiPropertyOptional({ minLength: 1, maxLength: 64, description: "the buyer's account; left out when a buyer token names it (and must match it when sent)" })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  accountId?: string;

  @ApiProperty({ pattern: '^(0|[1-9][0-9]{0,17})$', description: 'the paid amount in integer minor units, as a string of digits', example: '4999' })
  @IsMinorUnits({ message: 'amountMinor must be the paid amount in integer minor units, as a string of digits (e.g. "4999" for 49.99)' })
  amountMinor!: string;

  @ApiProperty({ pattern: '^[A-Z]{3}$', description: 'ISO 4217', example: 'CNY' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code in capitals, e.g. CNY' })
  currency!: string;

  @ApiProperty({ format: 'date-time', description: 'ISO 8601 with a time zone (Z or ±hh:mm)', example: '2026-11-21T10:15:00Z' })
  @IsTimestamp({ message: 'paidAt must be an ISO 8601 timestamp with a time zone (Z or ±hh:mm), e.g. 2026-11-21T10:15:00Z' })
  paidAt!: string;

  @ApiProperty({ minLength: 1, maxLength: 32, description: 'the payment channel the buyer paid through', example: 'alipay' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(32)
  channel!: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 128 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  paymentReference?: string;

  @ApiPropertyOptional({ pattern: '^\\d{4}$' })
  @IsOptional()
  @Matches(/^\d{4}$/, { message: 'phoneLast4 must be exactly four digits' })
  phoneLast4?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  urgent?: boolean;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;
}
