import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { CRASH_POINTS } from '@pt/faults';

/** Settings every service shares. */
export class BaseServiceConfig {
  /** postgres://user:pass@host:port/db */
  @IsString()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL!: string;

  /** Comma-separated host:port list. */
  @IsString()
  @Matches(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, { message: 'KAFKA_BROKERS must be a comma-separated list of host:port' })
  KAFKA_BROKERS!: string;

  /** Prefix for every topic name; empty in production, unique per test run. */
  @IsOptional()
  @IsString()
  @Matches(/^[a-zA-Z0-9_-]*$/, { message: 'KAFKA_TOPIC_PREFIX may contain letters, digits, _ and - only' })
  KAFKA_TOPIC_PREFIX: string = '';

  @IsIn(['debug', 'info', 'warn', 'error'])
  LOG_LEVEL: string = 'info';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  DB_POOL_SIZE: number = 10;

  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(60000)
  OUTBOX_POLL_MS: number = 200;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  INSTANCE_ID?: string;

  /**
   * Fault injection for the reliability tests and the soak: the process kills itself with
   * SIGKILL at this point. Unset in production, where no fault code runs.
   */
  @IsOptional()
  @IsIn(CRASH_POINTS)
  FAULT_CRASH_POINT?: string;

  /** Crash the Nth time the point is reached (default: the first). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  FAULT_CRASH_AFTER?: number;

  /** Only count the crash point for messages of this logical topic (e.g. incident.reported.v1). */
  @IsOptional()
  @IsString()
  FAULT_CRASH_TOPIC?: string;

  kafkaBrokers(): string[] {
    return this.KAFKA_BROKERS.split(',');
  }
}
