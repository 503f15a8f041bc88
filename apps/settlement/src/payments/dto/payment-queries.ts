import { IsCalendarDate, IsDateOrTimestamp } from '@pt/contracts';
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
  @IsOptional()
  @Matches(STATUS_LIST, { message: `status must be one or more of ${PAYMENT_STATUSES.join(', ')}, separated by commas` })
  status?: string;

  /** Inclusive lower bound on firstSeenAt. */
  @IsOptional()
  @IsDateOrTimestamp()
  from?: string;

  /** Exclusive upper bound on firstSeenAt. */
  @IsOptional()
  @IsDateOrTimestamp()
  to?: string;
}

/** Query of GET /v1/payments. */
export class ListPaymentsQuery extends PaymentFilterQuery {
  @IsOptional()
  @IsString()
  @IsNotEmpty({ message: 'orderNumber must not be empty' })
  @MaxLength(64)
  orderNumber?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
  @Min(1, { message: `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
  @Max(MAX_PAGE_SIZE, { message: `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
  limit?: number;

  @IsOptional()
  @Checked((v) => decodeCursor(v) !== undefined, 'cursor must be a nextCursor value returned by this API, unchanged')
  cursor?: string;
}

/** Query of GET /v1/payments/summary. */
export class SummaryQuery {
  @IsCalendarDate({ message: 'date must be a calendar date, YYYY-MM-DD (a UTC day)' })
  date!: string;
}
