import { IsCalendarDate, IsDateOrTimestamp } from '@pt/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, registerDecorator } from 'class-validator';
import { decodeCursor } from '../payment-cursor.js';
import { PAYMENT_STATUSES } from '../payment-status.js';

export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

const STATUS_LIST = new RegExp(`^(${PAYMENT_STATUSES.join('|')})(,(${PAYMENT_STATUSES.join('|')}))*$`);
function Checked(check: (value: string) => boolean, message: string): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'checked',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message },
      validator: { validate: (value: unknown) => typeof value === 'string' && check(value) },
    });
}

/** Filters shared by the list and the CSV export. */
export class PaymentFilterQuery {
  @ApiPropertyOptional({ pattern: STATUS_LIST.source, description: 'one or more statuses, comma-separated', example: 'FAILED,REVERSED' })
  @IsOptional()
  @Matches(STATUS_LIST, { message: `status must be one or more of ${PAYMENT_STATUSES.join(', ')}, separated by commas` })
  status?: string;

  /** Inclusive lower bound on firstSeenAt. */
  @ApiPropertyOptional({ description: 'firstSeenAt on or after: YYYY-MM-DD (midnight UTC) or an ISO 8601 timestamp with a zone' })
  @IsOptional()
  @IsDateOrTimestamp()
  from?: string;

  /** Exclusive upper bound on firstSeenAt. */
  @ApiPropertyOptional({ description: 'firstSeenAt before (exclusive): YYYY-MM-DD (midnight UTC) or an ISO 8601 timestamp with a zone' })
  @IsOptional()
  @IsDateOrTimestamp()
  to?: string;
}

/** Query of GET /v1/payments. */
export class ListPaymentsQuery extends PaymentFilterQuery {
  @ApiPropertyOptional({ minLength: 1, maxLength: 64, description: "the shop's order number; with it, no other parameter is allowed" })
  @IsOptional()
  @IsString()
  @IsNotEmpty({ message: 'orderNumber must not be empty' })
  @MaxLength(64)
  orderNumber?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
  @Min(1, { message: `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
  @Max(MAX_PAGE_SIZE, { message: `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
  limit?: number;

  @ApiPropertyOptional({ description: 'the nextCursor of the previous page, unchanged' })
  @IsOptional()
  @Checked((v) => decodeCursor(v) !== undefined, 'cursor must be a nextCursor value returned by this API, unchanged')
  cursor?: string;
}

/** Query of GET /v1/payments/summary. */
export class SummaryQuery {
  @ApiProperty({ format: 'date', example: '2026-10-08', description: 'a UTC day, YYYY-MM-DD' })
  @IsCalendarDate({ message: 'date must be a calendar date, YYYY-MM-DD (a UTC day)' })
  date!: string;
}
