import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { CRASH_POINTS } from '@pt/faults';

const ADMIN_CREDENTIAL = '[a-z0-9][a-z0-9._-]{0,31}:[^\\s,:]{24,}';
const ADMIN_TOKENS_SHAPE = new RegExp(`^${ADMIN_CREDENTIAL}(,${ADMIN_CREDENTIAL})*$`);

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

  /**
   * Age in hours after which published outbox rows, inbox rows (and intake's idempotency
   * keys) are deleted. The inbox forgets an event after this long: a copy delivered or
   * replayed later would be applied again.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(87600)
  RETENTION_HOURS: number = 336;

  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(86_400_000)
  RETENTION_SWEEP_INTERVAL_MS: number = 60_000;

  /** Rows deleted per statement by the retention sweeper. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  RETENTION_BATCH_SIZE: number = 500;

  /** Refusals by the broker (too large, unknown topic) after which an outbox row is set aside. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  OUTBOX_MAX_ATTEMPTS: number = 5;

  /**
   * Pauses, in milliseconds, before each new attempt at a consumed message whose handler
   * failed (other than a transient database error); after the last one it is dead-lettered.
   */
  @IsString()
  @Matches(/^\d{1,8}(,\d{1,8}){0,19}$/, { message: 'CONSUMER_RETRY_DELAYS_MS must be 1 to 20 pauses in milliseconds separated by commas, e.g. 5000,15000,40000,120000' })
  CONSUMER_RETRY_DELAYS_MS: string = '5000,15000,40000,120000';

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

  /**
   * Named operator credentials for the admin endpoints: `name:token` pairs separated by
   * commas. Every admin action is audited under the name of the credential used.
   */
  @IsString({ message: 'ADMIN_TOKENS is required: name:token pairs separated by commas, e.g. ops-alice:<24+ characters>' })
  @Matches(ADMIN_TOKENS_SHAPE, {
    message: 'ADMIN_TOKENS must be name:token pairs separated by commas (names: 1-32 of a-z 0-9 . _ -; tokens: at least 24 characters, no spaces, commas or colons)',
  })
  ADMIN_TOKENS!: string;

  adminCredentials(): { name: string; token: string }[] {
    return this.ADMIN_TOKENS.split(',').map((pair) => {
      const at = pair.indexOf(':');
      return { name: pair.slice(0, at), token: pair.slice(at + 1) };
    });
  }

  consumerRetryDelaysMs(): number[] {
    return this.CONSUMER_RETRY_DELAYS_MS.split(',').map(Number);
  }

  kafkaBrokers(): string[] {
    return this.KAFKA_BROKERS.split(',');
  }
}
