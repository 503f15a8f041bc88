import { IsDateOrTimestamp, REASON_CODES } from '@pt/contracts';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { INCIDENT_STATUSES } from '../../incidents/incident.entity.js';
import { ApiPropertyOptional } from '@nestjs/swagger';

/** Query of GET /v1/incidents: the agents' queue. */
export class QueueQueryDto {
  /** Comma-separated statuses; default: the ones agents work (ESCALATED, IN_PROGRESS). */
  @ApiPropertyOptional({
    description: `comma-separated statuses of ${INCIDENT_STATUSES.join(', ')}; default: the ones agents work (ESCALATED, IN_PROGRESS)`,
    example: 'ESCALATED,IN_PROGRESS',
  })
  @IsOptional()
  @Matches(new RegExp(`^(${INCIDENT_STATUSES.join('|')})(,(${INCIDENT_STATUSES.join('|')}))*$`), {
    message: `status must be a comma-separated list of ${INCIDENT_STATUSES.join(', ')}`,
  })
  status?: string;

  @ApiPropertyOptional({ enum: REASON_CODES })
  @IsOptional()
  @IsIn(REASON_CODES, { message: 'reasonCode must be one of the triage reason codes' })
  reasonCode?: string;

  @ApiPropertyOptional({ enum: ['P1', 'P2', 'P3'] })
  @IsOptional()
  @IsIn(['P1', 'P2', 'P3'], { message: 'priority must be P1, P2 or P3' })
  priority?: string;

  @ApiPropertyOptional({ maxLength: 32 })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  channel?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  merchantId?: string;

  /** An agent id, "me", or "none". */
  @ApiPropertyOptional({ description: 'an agent id, me, or none' })
  @IsOptional()
  @Matches(/^(me|none|[0-9a-f-]{36})$/, { message: 'assignee must be an agent id, me or none' })
  assignee?: string;

  @ApiPropertyOptional({ description: 'created on or after: YYYY-MM-DD (midnight UTC) or an ISO 8601 timestamp with a zone' })
  @IsOptional()
  @IsDateOrTimestamp()
  from?: string;

  @ApiPropertyOptional({ description: 'created before: YYYY-MM-DD (midnight UTC) or an ISO 8601 timestamp with a zone' })
  @IsOptional()
  @IsDateOrTimestamp()
  to?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(200, { message: 'limit must not be greater than 200' })
  limit?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'offset must be an integer' })
  @Min(0)
  offset?: number;
}
