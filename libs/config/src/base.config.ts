import 'reflect-metadata';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, Min, ValidateIf, registerDecorator } from 'class-validator';
import fs from 'node:fs';
import { CRASH_POINTS, STALL_POINTS } from '@pt/faults';
import { ConfigError, loadConfig } from './load-config.js';

/** SASL mechanisms a Kafka client may authenticate with. */
export const KAFKA_SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

/**
 * The Kafka client libraries the suite can talk through (KAFKA_CLIENT): the maintained
 * @platformatic/kafka (the default), or kafkajs. Both sit behind the same port in libs/kafka.
 */
export const KAFKA_CLIENTS = ['kafkajs', 'platformatic'] as const;
export type KafkaClientName = (typeof KAFKA_CLIENTS)[number];
export const DEFAULT_KAFKA_CLIENT: KafkaClientName = 'platformatic';

/** TLS settings of a Kafka client: PEM contents, not paths. No `ca` means the system's CAs. */
export interface KafkaTlsSettings {
  ca?: string;
  cert?: string;
  key?: string;
  rejectUnauthorized: boolean;
}

/** How a Kafka client secures its connections; both parts absent means plaintext, unauthenticated. */
export interface KafkaSecurity {
  tls?: KafkaTlsSettings;
  sasl?: { mechanism: KafkaSaslMechanism; username: string; password: string };
}

const asBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/**
 * Optional unless `condition` holds: then the variable must be set, and the error says why.
 * When it is set, its other constraints apply either way.
 */
function RequiredWhen(condition: (config: KafkaSecurityConfig) => boolean, reason: string): PropertyDecorator {
  return (target: object, property: string | symbol) => {
    const name = String(property);
    ValidateIf((config: KafkaSecurityConfig) => condition(config) || (config as unknown as Record<string, unknown>)[name] !== undefined)(target, property);
    registerDecorator({
      name: 'requiredWhen',
      target: target.constructor,
      propertyName: name,
      options: { message: `${name} is required when ${reason}` },
      validator: { validate: (value: unknown) => value !== undefined },
    });
  };
}

/** A path to a readable PEM file; the message names the path and what is wrong, never the contents. */
function ReadablePemFile(): PropertyDecorator {
  return (target: object, property: string | symbol) => {
    const problems = new WeakMap<object, string>();
    registerDecorator({
      name: 'readablePemFile',
      target: target.constructor,
      propertyName: String(property),
      options: { message: ({ object }) => problems.get(object) ?? 'must be the path of a PEM file' },
      validator: {
        validate: (value: unknown, args) => {
          const object = args!.object;
          if (typeof value !== 'string') return false;
          let text: string;
          try {
            text = fs.readFileSync(value, 'utf8');
          } catch (error) {
            problems.set(object, `cannot read ${value} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
            return false;
          }
          if (!/-----BEGIN [A-Z0-9 ]+-----/.test(text)) {
            problems.set(object, `${value} is not a PEM file (no -----BEGIN ...----- line)`);
            return false;
          }
          return true;
        },
      },
    });
  };
}

/** Set only together with KAFKA_SSL=true: a TLS file without TLS is a mistake, not a no-op. */
function OnlyWithSsl(): PropertyDecorator {
  return (target: object, property: string | symbol) => {
    registerDecorator({
      name: 'onlyWithSsl',
      target: target.constructor,
      propertyName: String(property),
      options: { message: 'is set but KAFKA_SSL is not true; set KAFKA_SSL=true or remove it' },
      validator: { validate: (_value: unknown, args) => (args!.object as KafkaSecurityConfig).KAFKA_SSL === true },
    });
  };
}

/**
 * How every Kafka client of the suite (services, tests, tools) secures its connections.
 * Defaults to plaintext without authentication, as the embedded broker expects.
 */
export class KafkaSecurityConfig {
  /** The client library every Kafka connection of the process uses. */
  @IsIn(KAFKA_CLIENTS, { message: `KAFKA_CLIENT must be one of ${KAFKA_CLIENTS.join(', ')}` })
  KAFKA_CLIENT: KafkaClientName = DEFAULT_KAFKA_CLIENT;

  /** TLS to the brokers. */
  @Transform(asBoolean)
  @IsBoolean({ message: 'KAFKA_SSL must be true or false' })
  KAFKA_SSL: boolean = false;

  /** PEM file of the CA(s) that signed the brokers' certificates; the system's CAs when unset. */
  @IsOptional()
  @OnlyWithSsl()
  @ReadablePemFile()
  KAFKA_SSL_CA_FILE?: string;

  /** Client certificate (PEM) for mutual TLS; needs KAFKA_SSL_KEY_FILE. */
  @RequiredWhen((c) => c.KAFKA_SSL_KEY_FILE !== undefined, 'KAFKA_SSL_KEY_FILE is set (mutual TLS needs both)')
  @OnlyWithSsl()
  @ReadablePemFile()
  KAFKA_SSL_CERT_FILE?: string;

  /** Private key (PEM, unencrypted) of the client certificate; needs KAFKA_SSL_CERT_FILE. */
  @RequiredWhen((c) => c.KAFKA_SSL_CERT_FILE !== undefined, 'KAFKA_SSL_CERT_FILE is set (mutual TLS needs both)')
  @OnlyWithSsl()
  @ReadablePemFile()
  KAFKA_SSL_KEY_FILE?: string;

  /** Refuse brokers whose certificate does not verify; false is for a test bench only. */
  @Transform(asBoolean)
  @IsBoolean({ message: 'KAFKA_SSL_REJECT_UNAUTHORIZED must be true or false' })
  KAFKA_SSL_REJECT_UNAUTHORIZED: boolean = true;

  /** SASL mechanism; unset means no SASL. */
  @RequiredWhen((c) => c.KAFKA_SASL_USERNAME !== undefined || c.KAFKA_SASL_PASSWORD !== undefined, 'KAFKA_SASL_USERNAME or KAFKA_SASL_PASSWORD is set')
  @IsIn(KAFKA_SASL_MECHANISMS, { message: `KAFKA_SASL_MECHANISM must be one of ${KAFKA_SASL_MECHANISMS.join(', ')}` })
  KAFKA_SASL_MECHANISM?: KafkaSaslMechanism;

  @RequiredWhen((c) => c.KAFKA_SASL_MECHANISM !== undefined, 'KAFKA_SASL_MECHANISM is set')
  @IsString()
  KAFKA_SASL_USERNAME?: string;

  /** A secret: no message, log line or error ever contains its value. */
  @RequiredWhen((c) => c.KAFKA_SASL_MECHANISM !== undefined, 'KAFKA_SASL_MECHANISM is set')
  @IsString()
  KAFKA_SASL_PASSWORD?: string;

  /** The validated settings, with the PEM files read. */
  kafkaSecurity(): KafkaSecurity {
    const security: KafkaSecurity = {};
    if (this.KAFKA_SSL) {
      const read = (file: string | undefined) => (file === undefined ? undefined : fs.readFileSync(file, 'utf8'));
      security.tls = {
        ca: read(this.KAFKA_SSL_CA_FILE),
        cert: read(this.KAFKA_SSL_CERT_FILE),
        key: read(this.KAFKA_SSL_KEY_FILE),
        rejectUnauthorized: this.KAFKA_SSL_REJECT_UNAUTHORIZED,
      };
    }
    if (this.KAFKA_SASL_MECHANISM) {
      security.sasl = { mechanism: this.KAFKA_SASL_MECHANISM, username: this.KAFKA_SASL_USERNAME!, password: this.KAFKA_SASL_PASSWORD! };
    }
    return security;
  }
}

/**
 * The Kafka security settings of an environment, for tools and tests that have no service
 * config of their own; throws ConfigError naming every bad variable.
 */
export function loadKafkaSecurity(env: NodeJS.ProcessEnv = process.env): KafkaSecurity {
  return loadConfig(KafkaSecurityConfig, env).kafkaSecurity();
}

/** KAFKA_CLIENT of an environment, validated; throws ConfigError naming it when it is not a known client. */
export function loadKafkaClientName(env: NodeJS.ProcessEnv = process.env): KafkaClientName {
  const value = env.KAFKA_CLIENT || DEFAULT_KAFKA_CLIENT;
  if (!(KAFKA_CLIENTS as readonly string[]).includes(value)) throw new ConfigError([`KAFKA_CLIENT: KAFKA_CLIENT must be one of ${KAFKA_CLIENTS.join(', ')}`]);
  return value as KafkaClientName;
}

const ADMIN_CREDENTIAL = '[a-z0-9][a-z0-9._-]{0,31}:[^\\s,:]{24,}';
const ADMIN_TOKENS_SHAPE = new RegExp(`^${ADMIN_CREDENTIAL}(,${ADMIN_CREDENTIAL})*$`);

/** Settings every service shares. */
export class BaseServiceConfig extends KafkaSecurityConfig {
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

  /**
   * How long an orderly stop (SIGTERM, SIGINT) may take: in-flight requests, handlers and
   * the relay's batch finish, sweepers stop, the pool closes. Past it the process exits
   * with status 1, logging what was still running.
   */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(600_000)
  SHUTDOWN_DEADLINE_MS: number = 10_000;

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
  @Matches(/^\d{1,8}(,\d{1,8}){0,19}$/, {
    message: 'CONSUMER_RETRY_DELAYS_MS must be 1 to 20 pauses in milliseconds separated by commas, e.g. 5000,15000,40000,120000',
  })
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

  /** Fault injection for the shutdown tests: work at this point hangs FAULT_STALL_MS (default 600000). Unset in production. */
  @IsOptional()
  @IsIn(STALL_POINTS)
  FAULT_STALL_POINT?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  FAULT_STALL_MS?: number;

  /** Only stall for messages of this logical topic. */
  @IsOptional()
  @IsString()
  FAULT_STALL_TOPIC?: string;

  /**
   * Named operator credentials for the admin endpoints: `name:token` pairs separated by
   * commas. Every admin action is audited under the name of the credential used.
   */
  @IsString({ message: 'ADMIN_TOKENS is required: name:token pairs separated by commas, e.g. ops-alice:<24+ characters>' })
  @Matches(ADMIN_TOKENS_SHAPE, {
    message:
      'ADMIN_TOKENS must be name:token pairs separated by commas (names: 1-32 of a-z 0-9 . _ -; tokens: at least 24 characters, no spaces, commas or colons)',
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
