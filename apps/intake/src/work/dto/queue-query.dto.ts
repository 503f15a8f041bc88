import { IsDateOrTimestamp, REASON_CODES } from '@pt/contracts';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { INCIDENT_STATUSES } from '../../incidents/incident.entity.js';

/** Query of GET /v1/incidents: the agents' queue. */
export class QueueQueryDto {
  /** Comma-separated statuses; default: the ones agents work (ESCALATED, IN_PROGRESS). */
  @IsOptional()
  @Matches(new RegExp(`^(${INCIDENT_STATUSES.join('|')})(,(${INCIDENT_STATUSES.join('|')}))*$`), { message: `status must be a comma-separated list of ${INCIDENT_STATUSES.join(', ')}` })
  status?: string;

  @IsOptional()
  @IsIn(REASON_CODES, { message: 'reasonCode must be one of the triage reason codes' })
  reasonCode?: string;

  @IsOptional()
  @IsIn(['P1', 'P2', 'P3'], { message: 'priority must be P1, P2 or P3' })
  priority?: string;

  @IsOptional()
  @IsString()
  @MaxLength(32)
  channel?: string;

  @IsOptional()
  @IsUUID()
  merchantId?: string;

  /** An agent id, "me", or "none". */
  @IsOptional()
  @Matches(/^(me|none|[0-9a-f-]{36})$/, { message: 'assignee must be an agent id, me or none' })
  assignee?: string;

  @IsOptional()
  @IsDateOrTimestamp()
  from?: string;

  @IsOptional()
  @IsDateOrTimestamp()
  to?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(200, { message: 'limit must not be greater than 200' })
  limit?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'offset must be an integer' })
  @Min(0)
  offset?: number;
}
