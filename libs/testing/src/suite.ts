import { loadKafkaSecurity } from '@pt/config';
import { createKafkaClient, EventPublisher, ensureTopics, type KafkaClient } from '@pt/kafka';
import { JsonLogger } from '@pt/observability';
import { agentTokenKeyPair, freePort, spawnService, type ServiceProcess, type ServiceName } from '@pt/dev-stack';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { CHANNEL_CLIENT_KEY_CHANGED_TYPE, type ChannelClientKeyChangedV1 } from '@pt/contracts';
import { CHANNEL_CLIENT_KEYS, hashBearerKey, mintBuyerToken } from '@pt/platform';
import { createTestDatabase, testPool } from './test-database.js';
import { waitFor } from './wait-for.js';
import { TopicReader } from './topic-reader.js';

export interface Suite {
  prefix: string;
  databaseUrl: string;
  db: pg.Pool;
  kafka: KafkaClient;
  publisher: EventPublisher;
  topics: TopicReader;
  adminToken: string;
  /** A channel client key (as the shop's help center would hold), accepted by intake and reconciliation. */
  channelKey: string;
  /** A buyer token for an account, signed with the suite's shop secret (what a shop's channel sends as X-Buyer-Token). */
  buyerToken: (accountId: string, options?: { lifetimeSeconds?: number; now?: Date; secret?: string; issuer?: string; audience?: string }) => Promise<string>;
  services: Partial<Record<ServiceName, ServiceProcess>>;
  url: (service: ServiceName) => string;
  /** Every line every service printed so far. */
  logs: () => string[];
  env: NodeJS.ProcessEnv;
  /** Starts one more instance of a service (e.g. a second replica) on a free port. */
  startInstance: (name: ServiceName, extraEnv?: NodeJS.ProcessEnv) => Promise<ServiceProcess>;
  /**
   * Replaces a service's main instance by a new process on the same port (so its URL
   * stays valid), after stopping the old one with `signal` if it still runs. The new one
   * gets the suite's environment, the service's own, and `extraEnv`.
   */
  restart: (name: ServiceName, extraEnv?: NodeJS.ProcessEnv, signal?: NodeJS.Signals) => Promise<ServiceProcess>;
  stop: () => Promise<void>;
}

export interface SuiteOptions {
  /** Brokers to use instead of the shared test broker (e.g. one a test may kill). */
  brokers?: string;
  /** Extra environment of one service only (e.g. a fault plan for reconciliation). */
  serviceEnv?: Partial<Record<ServiceName, NodeJS.ProcessEnv>>;
  /** Also hands every line a service prints here (e.g. to a log file). */
  onLine?: (service: ServiceName, line: string) => void;
  /**
   * Whether the suite creates the prefix's topics before the services start (the default,
   * so several services never race to create them); false leaves it to the services.
   */
  createTopics?: boolean;
}

/**
 * Creates the topics of a prefix. Right after creating them, the broker may still answer
 * "does not host this topic-partition" for a moment (the leaders are there, the
 * metadata of every broker not yet); asking again, with a short back-off, finds them made.
 */
async function ensureTopicsSettled(kafka: KafkaClient, prefix: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await ensureTopics(kafka, prefix);
      return;
    } catch (error) {
      const text = `${(error as { type?: string }).type ?? ''} ${(error as Error).message}`;
      if (attempt >= 10 || !/UNKNOWN_TOPIC_OR_PARTITION|does not host this topic-partition/i.test(text)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

/**
 * A channel client for the suite's buyer-side calls. With intake running it is created
 * the way an operator would (intake's admin API); otherwise its key is announced on
 * access.events.v1 as intake would. Either way, a running reconciliation has it before
 * this returns.
 */
async function registerChannelClient(
  services: Partial<Record<ServiceName, ServiceProcess>>,
  adminToken: string,
  publisher: EventPublisher,
  db: pg.Pool,
  prefix: string,
): Promise<string> {
  let key: { secret: string; hash: string };
  if (services.intake) {
    const res = await fetch(`${services.intake.url}/v1/admin/channel-clients`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `help-center-${prefix}`, kind: 'HELP_CENTER' }),
    });
    if (res.status !== 201) throw new Error(`creating the suite's channel client failed: HTTP ${res.status} ${await res.text()}`);
    const secret = ((await res.json()) as { key: { secret: string } }).key.secret;
    key = { secret, hash: hashBearerKey(secret) };
  } else {
    const generated = CHANNEL_CLIENT_KEYS.generate();
    const change: ChannelClientKeyChangedV1 = {
      clientId: crypto.randomUUID(),
      clientName: `help-center-${prefix}`,
      keyId: crypto.randomUUID(),
      keyHash: generated.hash,
      status: 'ACTIVE',
      changedAt: new Date().toISOString(),
    };
    await publisher.publish(CHANNEL_CLIENT_KEY_CHANGED_TYPE, change.clientId, change, { correlationId: `suite-${prefix}` });
    key = generated;
  }
  if (services.reconciliation) {
    await waitFor('the channel key at reconciliation', async () => {
      const { rows } = await db.query(`SELECT 1 FROM reconciliation.channel_client_keys WHERE key_hash = $1 AND revoked_at IS NULL`, [key.hash]);
      return rows.length > 0 ? true : undefined;
    });
  }
  return key.secret;
}

/**
 * Starts the given services as real processes against their own database (copied from
 * the migrated template) and their own topic prefix on the shared test broker. The
 * suite's Kafka client uses the same KAFKA_SSL* / KAFKA_SASL* settings as the services.
 */
export async function startSuite(label: string, names: ServiceName[], extraEnv: NodeJS.ProcessEnv = {}, options: SuiteOptions = {}): Promise<Suite> {
  const brokers = options.brokers ?? process.env.KAFKA_BROKERS;
  if (!brokers) throw new Error('KAFKA_BROKERS is not set: run the tests with `npm test`');
  const database = await createTestDatabase(label);
  const prefix = `t${randomBytes(4).toString('hex')}`;
  const logger = new JsonLogger('test', 'error');
  // The suite's own client is secured as the services are: KAFKA_SSL* / KAFKA_SASL* of the environment they get.
  const security = loadKafkaSecurity({ ...process.env, ...extraEnv });
  const kafka = createKafkaClient({ brokers: brokers.split(','), clientId: `test-${prefix}`, security, logger });
  if (options.createTopics !== false) await ensureTopicsSettled(kafka, prefix);
  const publisher = new EventPublisher(kafka, prefix);
  await publisher.connect();
  const adminToken = randomBytes(24).toString('base64url');
  const buyerSecret = randomBytes(32).toString('base64url');
  const agentTokenKeys = agentTokenKeyPair();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: database.url,
    KAFKA_BROKERS: brokers,
    KAFKA_TOPIC_PREFIX: prefix,
    VAULT_KEY: randomBytes(32).toString('base64'),
    ADMIN_TOKENS: `test-operator:${adminToken}`,
    BUYER_TOKEN_SECRET: buyerSecret,
    BUYER_TOKEN_ISSUER: 'test-shop',
    // Tests file reports in bursts from one channel; the rate-limit tests set their own limits.
    REPORT_LIMIT_PER_CLIENT_PER_MINUTE: '100000',
    REPORT_LIMIT_PER_ORDER_PER_HOUR: '1000',
    AGENT_TOKEN_PUBLIC_KEY: agentTokenKeys.publicKey,
    OUTBOX_POLL_MS: '50',
    // A failing handler's retries over seconds rather than minutes, so that poison ends in its DLQ within a test.
    CONSUMER_RETRY_DELAYS_MS: '200,500,1000',
    TRIAGE_SWEEP_INTERVAL_MS: '500',
    // Reports of unknown orders escalate at once unless a test sets a wait (the order-wait tests do).
    TRIAGE_ORDER_WAIT_MINUTES: '0',
    DB_POOL_SIZE: '5',
    LOG_LEVEL: 'info',
    // Groups of their own: a member joining or leaving another file's group would stall it for a rebalance.
    INTAKE_CONSUMER_GROUP: `${prefix}-intake`,
    RECONCILIATION_CONSUMER_GROUP: `${prefix}-reconciliation`,
    SETTLEMENT_CONSUMER_GROUP: `${prefix}-settlement`,
    ...extraEnv,
  };
  const services: Partial<Record<ServiceName, ServiceProcess>> = {};
  const extra: ServiceProcess[] = [];
  const portVar: Record<ServiceName, string> = { intake: 'INTAKE_PORT', reconciliation: 'RECONCILIATION_PORT', settlement: 'SETTLEMENT_PORT' };
  // The first instance of each service gets its port up front, so the console settings
  // (which name the other service's address) can be filled in before anything starts.
  const firstPorts = new Map<ServiceName, number>();
  for (const name of names) firstPorts.set(name, await freePort());
  if (firstPorts.has('intake') && firstPorts.has('reconciliation')) {
    env.CONSOLE_RECONCILIATION_URL ??= `http://127.0.0.1:${firstPorts.get('reconciliation')}`;
    env.CONSOLE_ORIGINS ??= `http://127.0.0.1:${firstPorts.get('intake')}`;
  }
  const ports = new Map<ServiceName, number>();
  // TEST_SERVICE_LOG_DIR keeps every line each service printed, one file per suite and service.
  const logDir = process.env.TEST_SERVICE_LOG_DIR;
  if (logDir) fs.mkdirSync(logDir, { recursive: true });
  const logFiles = new Map<ServiceName, fs.WriteStream>();
  const logFile = (name: ServiceName) => {
    let stream = logFiles.get(name);
    if (!stream) {
      stream = fs.createWriteStream(path.join(logDir!, `${label}-${prefix}-${name}.log`), { flags: 'a' });
      logFiles.set(name, stream);
    }
    return stream;
  };
  const onLine =
    options.onLine || logDir
      ? (name: ServiceName, line: string) => {
          options.onLine?.(name, line);
          if (logDir) logFile(name).write(`${line}\n`);
        }
      : undefined;
  const startInstance = async (name: ServiceName, more: NodeJS.ProcessEnv = {}, port?: number) => {
    const chosen = port ?? (await freePort());
    return spawnService({
      name,
      // Only intake holds the private key, as in production.
      env: {
        ...env,
        ...(name === 'intake' ? { AGENT_TOKEN_PRIVATE_KEY: agentTokenKeys.privateKey } : {}),
        [portVar[name]]: String(chosen),
        ...options.serviceEnv?.[name],
        ...more,
      },
      url: `http://127.0.0.1:${chosen}`,
      ...(onLine ? { onLine: (line: string) => onLine(name, line) } : {}),
    });
  };
  const db = testPool(database.url);
  const topics = new TopicReader(kafka, prefix);
  try {
    await Promise.all(
      names.map(async (name) => {
        ports.set(name, firstPorts.get(name)!);
        services[name] = await startInstance(name, {}, firstPorts.get(name));
      }),
    );
  } catch (error) {
    await Promise.all(Object.values(services).map((s) => s.stop('SIGKILL')));
    throw error;
  }
  const channelKey = await registerChannelClient(services, adminToken, publisher, db, prefix);
  return {
    prefix,
    databaseUrl: database.url,
    db,
    kafka,
    publisher,
    topics,
    adminToken,
    channelKey,
    buyerToken: (accountId, o = {}) =>
      mintBuyerToken({
        secret: o.secret ?? buyerSecret,
        issuer: o.issuer ?? 'test-shop',
        audience: o.audience ?? 'payment-triage',
        accountId,
        ...(o.lifetimeSeconds !== undefined ? { lifetimeSeconds: o.lifetimeSeconds } : {}),
        ...(o.now ? { now: o.now } : {}),
      }),
    services,
    env,
    url: (name) => {
      const service = services[name];
      if (!service) throw new Error(`${name} was not started in this suite`);
      return service.url;
    },
    logs: () => [...Object.values(services), ...extra].flatMap((s) => s.output),
    startInstance: async (name, more) => {
      const instance = await startInstance(name, more);
      extra.push(instance);
      return instance;
    },
    restart: async (name, more = {}, signal = 'SIGTERM') => {
      const old = services[name];
      const port = ports.get(name);
      if (!old || port === undefined) throw new Error(`${name} was not started in this suite`);
      await old.stop(signal);
      extra.push(old);
      // Clear the service's own fault plan unless the caller sets one again.
      const replacement = await startInstance(
        name,
        { FAULT_CRASH_POINT: '', FAULT_CRASH_AFTER: '', FAULT_CRASH_TOPIC: '', FAULT_STALL_POINT: '', FAULT_STALL_MS: '', FAULT_STALL_TOPIC: '', ...more },
        port,
      );
      services[name] = replacement;
      return replacement;
    },
    stop: async () => {
      await Promise.all([...Object.values(services), ...extra].map((s) => s.stop('SIGTERM')));
      await publisher.disconnect().catch(() => undefined);
      await db.end();
      await database.drop();
      for (const stream of logFiles.values()) stream.end();
    },
  };
}
