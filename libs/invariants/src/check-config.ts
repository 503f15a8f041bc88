import 'reflect-metadata';
import { IsOptional, IsString, Matches } from 'class-validator';
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

  /** Only read with --topics. */
  @IsOptional()
  @Matches(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, { message: 'KAFKA_BROKERS must be a comma-separated list of host:port' })
  KAFKA_BROKERS?: string;

  @IsOptional()
  @IsString()
  @Matches(/^[a-zA-Z0-9_-]*$/, { message: 'KAFKA_TOPIC_PREFIX may contain letters, digits, _ and - only' })
  KAFKA_TOPIC_PREFIX: string = '';
}
