import { IsCalendarDate } from '@pt/contracts';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { DISCREPANCY_CATEGORIES, type DiscrepancyCategory } from '../recon-run.view.js';

const CHANNEL = /^[A-Za-z0-9_.-]{1,32}$/;
const BOOLEAN_WORDS = ['true', 'false', '1', '0'];

/** Query of POST /v1/reconciliation/runs with a `text/csv` body: the statement file of one channel and day. */
export class StatementRunQueryDto {
  @Matches(CHANNEL, { message: 'channel must be 1-32 letters, digits, _ . -' })
  channel!: string;

  @IsCalendarDate({ message: 'date must be the statement day, a calendar date YYYY-MM-DD' })
  date!: string;

  @IsOptional()
  @IsIn(BOOLEAN_WORDS, { message: 'dryRun must be true or false' })
  dryRun?: string;

  /** Lets the uploader follow the run (GET /v1/reconciliation/runs/:id) while the upload is still going. */
  @IsOptional()
  @IsUUID('all', { message: 'runId must be a UUID' })
  runId?: string;
}

/** Body of POST /v1/reconciliation/runs as JSON: a run over what clearing.events.v1 delivered. */
export class MirrorRunDto {
  @Matches(CHANNEL, { message: 'channel must be 1-32 letters, digits, _ . -' })
  channel!: string;

  /** First statement day of the run, YYYY-MM-DD. */
  @IsCalendarDate()
  from!: string;

  /** Last statement day (inclusive); defaults to `from`. */
  @IsOptional()
  @IsCalendarDate()
  to?: string;

  @IsOptional()
  @IsBoolean({ message: 'dryRun must be true or false' })
  dryRun?: boolean;

  @IsOptional()
  @IsUUID('all', { message: 'runId must be a UUID' })
  runId?: string;
}

export class RunsQueryDto {
  @IsOptional()
  @Matches(CHANNEL, { message: 'channel must be 1-32 letters, digits, _ . -' })
  channel?: string;

  @IsOptional()
  @IsIn(['RUNNING', 'SUCCEEDED', 'FAILED', 'REFUSED'], { message: 'status must be RUNNING, SUCCEEDED, FAILED or REFUSED' })
  status?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(200)
  limit?: number;
}

export class DiscrepanciesQueryDto {
  @IsOptional()
  @IsIn(DISCREPANCY_CATEGORIES, { message: `category must be one of ${DISCREPANCY_CATEGORIES.join(', ')}` })
  category?: DiscrepancyCategory;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(1000)
  limit?: number;

  /** The `seq` of the last discrepancy of the previous page (its `nextAfter`). */
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'after must be a whole number' })
  @Min(0)
  after?: number;
}

export class CsvExportQueryDto {
  @IsOptional()
  @IsIn(DISCREPANCY_CATEGORIES, { message: `category must be one of ${DISCREPANCY_CATEGORIES.join(', ')}` })
  category?: DiscrepancyCategory;
}

export class PageQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(1000)
  limit?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'after must be a whole number' })
  @Min(0)
  after?: number;
}

export class SystemicIncidentsQueryDto {
  @IsOptional()
  @IsIn(['OPEN', 'CLOSED'], { message: 'status must be OPEN or CLOSED' })
  status?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(200)
  limit?: number;
}

export function isTrue(word: string | undefined): boolean {
  return word === 'true' || word === '1';
}
