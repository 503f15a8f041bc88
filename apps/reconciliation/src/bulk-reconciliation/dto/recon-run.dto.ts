import { IsCalendarDate } from '@pt/contracts';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { DISCREPANCY_CATEGORIES, type DiscrepancyCategory } from '../recon-run.view.js';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

const CHANNEL = /^[A-Za-z0-9_.-]{1,32}$/;
const BOOLEAN_WORDS = ['true', 'false', '1', '0'];

/** Query of POST /v1/reconciliation/runs with a `text/csv` body: the statement file of one channel and day. */
export class StatementRunQueryDto {
  @ApiProperty({ pattern: CHANNEL.source, description: 'the channel whose statement this is' })
  @Matches(CHANNEL, { message: 'channel must be 1-32 letters, digits, _ . -' })
  channel!: string;

  @ApiProperty({ format: 'date', description: 'the statement day' })
  @IsCalendarDate({ message: 'date must be the statement day, a calendar date YYYY-MM-DD' })
  date!: string;

  @ApiPropertyOptional({ enum: BOOLEAN_WORDS, description: 'true: find and report, change nothing' })
  @IsOptional()
  @IsIn(BOOLEAN_WORDS, { message: 'dryRun must be true or false' })
  dryRun?: string;

  /** Lets the uploader follow the run (GET /v1/reconciliation/runs/:id) while the upload is still going. */
  @ApiPropertyOptional({ format: 'uuid', description: 'lets the uploader follow the run while the upload is still going' })
  @IsOptional()
  @IsUUID('all', { message: 'runId must be a UUID' })
  runId?: string;
}

/** Body of POST /v1/reconciliation/runs as JSON: a run over what clearing.events.v1 delivered. */
@ApiSchema({ name: 'MirrorRun' })
export class MirrorRunDto {
  @ApiProperty({ pattern: CHANNEL.source })
  @Matches(CHANNEL, { message: 'channel must be 1-32 letters, digits, _ . -' })
  channel!: string;

  /** First statement day of the run, YYYY-MM-DD. */
  @ApiProperty({ format: 'date', description: 'first statement day of the run' })
  @IsCalendarDate()
  from!: string;

  /** Last statement day (inclusive); defaults to `from`. */
  @ApiPropertyOptional({ format: 'date', description: 'last statement day (inclusive); defaults to from' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;

  @ApiPropertyOptional({ default: false, description: 'true: find and report, change nothing' })
  @IsOptional()
  @IsBoolean({ message: 'dryRun must be true or false' })
  dryRun?: boolean;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'runId must be a UUID' })
  runId?: string;
}

export class RunsQueryDto {
  @ApiPropertyOptional({ pattern: CHANNEL.source })
  @IsOptional()
  @Matches(CHANNEL, { message: 'channel must be 1-32 letters, digits, _ . -' })
  channel?: string;

  @ApiPropertyOptional({ enum: ['RUNNING', 'SUCCEEDED', 'FAILED', 'REFUSED'] })
  @IsOptional()
  @IsIn(['RUNNING', 'SUCCEEDED', 'FAILED', 'REFUSED'], { message: 'status must be RUNNING, SUCCEEDED, FAILED or REFUSED' })
  status?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(200)
  limit?: number;
}

export class DiscrepanciesQueryDto {
  @ApiPropertyOptional({ enum: DISCREPANCY_CATEGORIES })
  @IsOptional()
  @IsIn(DISCREPANCY_CATEGORIES, { message: `category must be one of ${DISCREPANCY_CATEGORIES.join(', ')}` })
  category?: DiscrepancyCategory;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(1000)
  limit?: number;

  /** The `seq` of the last discrepancy of the previous page (its `nextAfter`). */
  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'the seq of the last discrepancy of the previous page (its nextAfter)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'after must be a whole number' })
  @Min(0)
  after?: number;
}

export class CsvExportQueryDto {
  @ApiPropertyOptional({ enum: DISCREPANCY_CATEGORIES })
  @IsOptional()
  @IsIn(DISCREPANCY_CATEGORIES, { message: `category must be one of ${DISCREPANCY_CATEGORIES.join(', ')}` })
  category?: DiscrepancyCategory;
}

export class PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'the nextAfter of the previous page' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'after must be a whole number' })
  @Min(0)
  after?: number;
}

export class SystemicIncidentsQueryDto {
  @ApiPropertyOptional({ enum: ['OPEN', 'CLOSED'] })
  @IsOptional()
  @IsIn(['OPEN', 'CLOSED'], { message: 'status must be OPEN or CLOSED' })
  status?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50 })
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
