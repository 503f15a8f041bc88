import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsNumber, IsOptional, IsString, Matches, Min } from 'class-validator';
import { KafkaSecurityConfig } from '@pt/config';

const POSTGRES_URL = /^postgres(ql)?:\/\//;

/** What the invariant checker reads from the environment; Kafka security as the services read it. */
export class InvariantCheckConfig extends KafkaSecurityConfig {
  /** The database holding the services' schemas. */
  @Matches(POSTGRES_URL, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL!: string;

  /** Set when a service's schema lives in a database of its own. */
  @IsOptional()
  @Matches(POSTGRES_URL, { message: 'INTAKE_DATABASE_URL must be a postgres:// URL' })
  INTAKE_DATABASE_URL?: string;

  @IsOptional()
  @Matches(POSTGRES_URL, { message: 'RECONCILIATION_DATABASE_URL must be a postgres:// URL' })
  RECONCILIATION_DATABASE_URL?: string;

  @IsOptional()
  @Matches(POSTGRES_URL, { message: 'SETTLEMENT_DATABASE_URL must be a postgres:// URL' })
  SETTLEMENT_DATABASE_URL?: string;

  /** Intake's stuck threshold, as intake is configured (its default is 15): the `incidents-not-stranded` check allows this plus the settle window. */
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'INCIDENT_STUCK_AFTER_MINUTES must be a number of minutes' })
  @Min(0.01)
  INCIDENT_STUCK_AFTER_MINUTES: number = 15;

  /** Only read with --topics. */
  @IsOptional()
  @Matches(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, { message: 'KAFKA_BROKERS must be a comma-separated list of host:port' })
  KAFKA_BROKERS?: string;

  @IsOptional()
  @IsString()
  @Matches(/^[a-zA-Z0-9_-]*$/, { message: 'KAFKA_TOPIC_PREFIX may contain letters, digits, _ and - only' })
  KAFKA_TOPIC_PREFIX: string = '';
}
