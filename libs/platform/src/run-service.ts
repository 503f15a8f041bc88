import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { ClassConstructor } from 'class-transformer';
import { ConfigError, loadConfig, type BaseServiceConfig, type KafkaSecurity } from '@pt/config';
import { MESSAGING_RETAINED_TABLES, openServiceDataSource, serviceDataSourceOptions, type RetainedTable } from '@pt/database';
import { faultInjectorFor, type FaultInjector } from '@pt/faults';
import {
  EnvelopeServer,
  checkKafkaAccess,
  createKafkaClient,
  ensureTopics,
  explainKafkaAccessFailure,
  withoutKafkaPassword,
  type KafkaClient,
} from '@pt/kafka';
import { JsonLogger, ServiceMetrics } from '@pt/observability';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { DataSource } from 'typeorm';
import { HttpExceptionFilter } from './http-exception.filter.js';
import { buildOpenApiDocument, serveOpenApiDocument, type ServiceApiDocs } from './openapi.js';
import { OutboxPublisher } from './outbox-publisher.js';
import { RetentionSweeper } from './retention-sweeper.js';
import { requestContextMiddleware } from './request-context.middleware.js';
import { installRequestBodies, type RequestBodyRoute } from './request-body.js';
import { ValidatedInputPipe } from './validated-body.pipe.js';

export interface ServiceRuntime<C extends BaseServiceConfig> {
  config: C;
  logger: JsonLogger;
  metrics: ServiceMetrics;
  kafka: KafkaClient;
  /** Crash points for fault tests: NO_FAULTS unless FAULT_CRASH_POINT was set at start-up. */
  faults: FaultInjector;
}

export interface ServiceDefinition<C extends BaseServiceConfig> {
  name: string;
  configClass: ClassConstructor<C>;
  port: (config: C) => number;
  host: (config: C) => string;
  consumerGroup: (config: C) => string;
  module: (runtime: ServiceRuntime<C>) => DynamicModule;
  /** Title, description, tags and credentials of the OpenAPI document built from its controllers. */
  openApi: ServiceApiDocs;
  /** Browser origins allowed to call this service (CORS); none by default. */
  corsOrigins?: (config: C) => string[];
  /**
   * Routes whose body may be larger than DEFAULT_BODY_LIMIT_BYTES (JSON up to 64 KB), is
   * not JSON, or is streamed to the handler; uploads over the default are admin-only.
   */
  requestBodies?: readonly RequestBodyRoute[];
  /** Tables of the service's own, besides the outbox and inbox, that the retention sweeper purges. */
  retainedTables?: readonly RetainedTable[];
  /** Work to start once the application is up (sweepers, schedules). */
  afterStart?: (app: INestApplication, runtime: ServiceRuntime<C>) => Promise<void>;
}

export interface RunningService {
  app: INestApplication;
  url: string;
  stop: () => Promise<void>;
  /** While stopping: the step under way and the work it waits for (requests, handlers), for the deadline's log line. */
  stillRunning: () => string[];
  /** SHUTDOWN_DEADLINE_MS: how long stop() may take when a signal asks for it. */
  shutdownDeadlineMs: number;
  logger: JsonLogger;
}

/**
 * Turns a start-up failure into one sentence saying what is wrong and how to fix it.
 * The Kafka SASL password never appears in it, whatever the error said.
 */
export function explainStartupFailure(error: unknown, config?: BaseServiceConfig, port?: number, security?: KafkaSecurity): string {
  return withoutKafkaPassword(startupFailureSentence(error, config, port, security), security?.sasl?.password ?? config?.KAFKA_SASL_PASSWORD);
}

function startupFailureSentence(error: unknown, config?: BaseServiceConfig, port?: number, security?: KafkaSecurity): string {
  const e = error as { code?: string; message?: string; name?: string };
  const message = e?.message ?? String(error);
  if (error instanceof ConfigError) return message;
  if (e?.code === 'EADDRINUSE') return `port ${port} is already in use; stop whatever holds it or choose another port in the service's *_PORT variable.`;
  const brokers = config?.KAFKA_BROKERS ?? '(unset)';
  const access = explainKafkaAccessFailure(error, brokers, security);
  if (access) return access;
  if (/KafkaJS|broker|ECONNREFUSED.*909|Connection error/i.test(`${e?.name} ${message}`) && !/postgres|database/i.test(message)) {
    // A listener that wants TLS or SASL the client does not speak just hangs up on it.
    if (/closed connection|connection closed/i.test(message)) {
      const tls = security?.tls ? 'on' : 'off';
      const sasl = security?.sasl ? `SASL ${security.sasl.mechanism}` : 'no SASL';
      return `Kafka at ${brokers} closed every connection (${message}); if its listener wants TLS or SASL, make KAFKA_SSL and KAFKA_SASL_MECHANISM match it (now: TLS ${tls}, ${sasl}).`;
    }
    return `cannot reach Kafka at ${brokers} (${message}); start the broker or point KAFKA_BROKERS at a running one.`;
  }
  if (/ECONNREFUSED|password authentication|database .* does not exist|getaddrinfo/i.test(message)) {
    return `cannot reach PostgreSQL at the DATABASE_URL given (${message}); start it or point DATABASE_URL at a running server.`;
  }
  return `start-up failed: ${message}`;
}

/**
 * Starts one service: validated config, JSON logs, topics, database and migrations,
 * HTTP API, Kafka consumers and outbox relay; stops them in reverse on SIGINT/SIGTERM.
 */
export async function startService<C extends BaseServiceConfig>(
  definition: ServiceDefinition<C>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningService> {
  const config = loadConfig(definition.configClass, env);
  const logger = new JsonLogger(definition.name, config.LOG_LEVEL);
  const metrics = new ServiceMetrics(definition.name);
  const instance = config.INSTANCE_ID ?? `${process.pid}`;
  const security = config.kafkaSecurity();
  const clientId = `${definition.name}-${instance}`;
  const kafka = createKafkaClient({ brokers: config.kafkaBrokers(), clientId, security, client: config.KAFKA_CLIENT, logger });
  const faults = faultInjectorFor(config);
  if (faults.active) {
    logger.warn(
      {
        msg: 'fault injection is on: this process will kill itself',
        point: config.FAULT_CRASH_POINT,
        after: config.FAULT_CRASH_AFTER ?? 1,
        topic: config.FAULT_CRASH_TOPIC,
      },
      'Bootstrap',
    );
  }
  const runtime: ServiceRuntime<C> = { config, logger, metrics, kafka, faults };
  const port = definition.port(config);

  try {
    logger.log(
      {
        msg: `connecting to Kafka at ${config.KAFKA_BROKERS} and creating missing topics`,
        tls: security.tls !== undefined,
        sasl: security.sasl?.mechanism ?? 'none',
      },
      'Bootstrap',
    );
    // Refused credentials or a certificate that does not verify end the start-up at once, not after every retry.
    await checkKafkaAccess({ brokers: config.kafkaBrokers(), clientId, security, client: config.KAFKA_CLIENT });
    await ensureTopics(kafka, config.KAFKA_TOPIC_PREFIX);
    const app = await NestFactory.create<NestExpressApplication>(definition.module(runtime), { logger, abortOnError: false, bodyParser: false });
    // The correlation id first, so that a refused body's answer and log carry it.
    app.use(requestContextMiddleware(metrics));
    installRequestBodies(app, definition.requestBodies ?? [], config.adminCredentials());
    const origins = definition.corsOrigins?.(config) ?? [];
    if (origins.length > 0) {
      app.enableCors({ origin: origins, allowedHeaders: ['authorization', 'content-type', 'x-correlation-id'], methods: ['GET', 'POST'], maxAge: 600 });
    }
    // Built once, from the controllers of this application, before any request is served.
    serveOpenApiDocument(app, buildOpenApiDocument(app, definition.openApi));
    app.useGlobalFilters(new HttpExceptionFilter(logger));
    app.useGlobalPipes(new ValidatedInputPipe());
    const server = new EnvelopeServer({
      kafka,
      groupId: definition.consumerGroup(config),
      topicPrefix: config.KAFKA_TOPIC_PREFIX,
      metrics,
      logger,
      faults,
      retryDelaysMs: config.consumerRetryDelaysMs(),
    });
    app.connectMicroservice({ strategy: server }, { inheritAppConfig: true });
    await app.init();
    const publisher = app.get(OutboxPublisher);
    await publisher.start();
    await app.startAllMicroservices();
    await app.listen(port, definition.host(config));
    // Keep idle connections longer than clients and proxies do, so a client never reuses one
    // the server has just closed.
    const http: Server = app.getHttpServer();
    http.keepAliveTimeout = 65_000;
    http.headersTimeout = 66_000;
    let requestsInFlight = 0;
    http.on('request', (_req: IncomingMessage, res: ServerResponse) => {
      requestsInFlight += 1;
      res.once('close', () => {
        requestsInFlight -= 1;
      });
    });
    const retention = new RetentionSweeper({
      dataSource: app.get(DataSource),
      tables: [...MESSAGING_RETAINED_TABLES, ...(definition.retainedTables ?? [])],
      olderThanSeconds: config.RETENTION_HOURS * 3600,
      batchSize: config.RETENTION_BATCH_SIZE,
      intervalMs: config.RETENTION_SWEEP_INTERVAL_MS,
      metrics,
      logger,
    });
    retention.start();
    if (definition.afterStart) await definition.afterStart(app, runtime);
    const url = `http://${definition.host(config) === '0.0.0.0' ? '127.0.0.1' : definition.host(config)}:${port}`;
    logger.log({ msg: `${definition.name} ready`, url, node: process.version, kafkaClient: kafka.kind }, 'Bootstrap');

    let stopping: Promise<void> | null = null;
    let step = 'nothing';
    const stillRunning = (): string[] => {
      const running = [`step: ${step}`];
      if (requestsInFlight > 0) running.push(`HTTP requests in flight: ${requestsInFlight}`);
      const handlers = server.handlersInFlight();
      if (handlers.length > 0) running.push(`Kafka handlers in flight: ${handlers.join(', ')}`);
      return running;
    };
    const stop = () => {
      stopping ??= (async () => {
        logger.log({ msg: `${definition.name} stopping` }, 'Bootstrap');
        // No new connections from here on; idle keep-alive connections are closed, a busy
        // one once its response is sent (Connection: close), and the server closes when
        // the last request in flight has its answer.
        step = 'closing the HTTP listener';
        const httpClosed = new Promise<void>((resolve) => http.close(() => resolve()));
        http.on('request', (_req: IncomingMessage, res: ServerResponse) => res.setHeader('connection', 'close'));
        http.closeIdleConnections();
        // Consumers next: no new message is taken, and the handlers in flight finish (their
        // transactions commit or roll back) before the offsets are committed.
        step = 'stopping the Kafka consumers (handlers in flight finish)';
        await server.close();
        step = 'answering the HTTP requests in flight';
        const idle = setInterval(() => http.closeIdleConnections(), 100);
        await httpClosed.finally(() => clearInterval(idle));
        step = 'stopping the retention sweeper';
        await retention.stop();
        // The relay sends the batch it holds and marks it published; what is left stays in the outbox.
        step = 'flushing the outbox relay';
        await publisher.stop();
        // The service's sweepers stop (their run under way finishes), then the database pool closes.
        step = 'stopping the sweepers and closing the database pool';
        await app.close();
        step = 'stopped';
        logger.log({ msg: `${definition.name} stopped` }, 'Bootstrap');
      })();
      return stopping;
    };
    return { app, url, stop, stillRunning, shutdownDeadlineMs: config.SHUTDOWN_DEADLINE_MS, logger };
  } catch (error) {
    throw new Error(explainStartupFailure(error, config, port, security), { cause: error });
  }
}

/** Entry point for a service's main.ts: start, report failure in one sentence, stop on signals. */
export async function runServiceMain<C extends BaseServiceConfig>(definition: ServiceDefinition<C>): Promise<void> {
  let running: RunningService;
  try {
    running = await startService(definition);
  } catch (error) {
    const sentence = error instanceof ConfigError ? error.message : (error as Error).message;
    process.stderr.write(`${definition.name}: ${sentence}\n`);
    process.exit(1);
  }
  const onSignal = (signal: string) => {
    const deadlineMs = running.shutdownDeadlineMs;
    // Past the deadline, one line says what was still running, and the process exits non-zero:
    // what did not finish was not committed (Kafka redelivers it, the outbox keeps its rows).
    const deadline = setTimeout(() => {
      const still = running.stillRunning();
      running.logger.error(
        {
          msg: `${definition.name} did not stop within SHUTDOWN_DEADLINE_MS (${deadlineMs} ms) after ${signal}; exiting with status 1. Still running: ${still.join('; ')}`,
          stillRunning: still,
        },
        'Bootstrap',
      );
      process.exit(1);
    }, deadlineMs);
    void running
      .stop()
      .then(() => {
        clearTimeout(deadline);
        process.exit(0);
      })
      .catch((error) => {
        process.stderr.write(`${definition.name}: error while stopping after ${signal}: ${(error as Error).message}\n`);
        process.exit(1);
      });
  };
  process.once('SIGINT', () => onSignal('SIGINT'));
  process.once('SIGTERM', () => onSignal('SIGTERM'));
}

/**
 * Applies a service's migrations to DATABASE_URL and exits: used by deploy jobs and by
 * the test runner to prepare its template database.
 */
export async function runMigrationsMain(
  service: string,
  schema: string,
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[],
): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write(`${service}: DATABASE_URL is required to run migrations\n`);
    process.exit(1);
  }
  try {
    const dataSource = await openServiceDataSource(
      serviceDataSourceOptions({ url, schema, entities: [], migrations, poolSize: 2, applicationName: `${service}-migrate` }),
    );
    await dataSource.destroy();
    process.stdout.write(`${service}: migrations applied to schema ${schema}\n`);
  } catch (error) {
    process.stderr.write(`${service}: migrations failed: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
