import { freePort, projectRoot, startKafkaBroker, type RunningKafka, type ServiceName } from '@pt/dev-stack';
import { loadKafkaSecurity, type KafkaSecurity } from '@pt/config';
import { checkInvariants, formatInvariantReport, type InvariantReport } from '@pt/invariants';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { makeBrokerTlsMaterial, type BrokerTlsMaterial } from './broker-tls.js';
import type { Suite } from './suite.js';

export interface DedicatedBrokerOptions {
  /**
   * A SASL_SSL listener (TLS with a CA of its own, SCRAM-SHA-512) instead of a plaintext
   * one, with ACLs enforced; clients connect with `clientEnv`, as a user that may do
   * anything.
   */
  saslSsl?: boolean;
  /** More SCRAM users of a SASL_SSL broker, allowed only what ACLs grant them (`clientEnv(name)`). */
  users?: string[];
}

interface ScramUser {
  name: string;
  password: string;
}

interface SaslSslSetup {
  tls: BrokerTlsMaterial;
  broker: ScramUser;
  users: ScramUser[];
}

/** The user `clientEnv` connects as by default: a super user of the secured broker. */
const SUPER_USER = 'payment-triage';

/**
 * A Kafka broker of a test's own, which the test may kill: the shared test broker must
 * stay up for the other files. Ports and data folder are kept across restarts, so
 * clients find it where it was, with the messages and offsets it had.
 */
export class DedicatedBroker {
  private running: RunningKafka | null = null;
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payment-triage-broker-'));
  private port = 0;
  private controllerPort = 0;
  private secured: SaslSslSetup | null = null;

  constructor(private readonly options: DedicatedBrokerOptions = {}) {}

  get brokers(): string {
    return `127.0.0.1:${this.port}`;
  }

  /**
   * The variables that make any client of the suite (a service, a test's own client)
   * talk to this broker: none for a plaintext one; for SASL_SSL, TLS trusting the
   * broker's CA and SCRAM-SHA-512 as a user of its own. Known once the broker started.
   */
  get clientEnv(): NodeJS.ProcessEnv {
    return this.clientEnvOf(SUPER_USER);
  }

  /** `clientEnv` for one of the users of the options. */
  clientEnvOf(name: string): NodeJS.ProcessEnv {
    if (!this.options.saslSsl) return {};
    if (!this.secured) throw new Error('the broker has not been started yet');
    const user = this.secured.users.find((u) => u.name === name);
    if (!user) throw new Error(`the broker has no user ${name}`);
    return {
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: this.secured.tls.caPemFile,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: user.name,
      KAFKA_SASL_PASSWORD: user.password,
    };
  }

  /** `clientEnv` as the settings createKafkaClient takes. */
  get clientSecurity(): KafkaSecurity {
    return loadKafkaSecurity(this.clientEnv);
  }

  get logFile(): string {
    return path.join(this.dir, 'kafka.log');
  }

  async start(): Promise<void> {
    if (this.port === 0) {
      this.port = await freePort();
      this.controllerPort = await freePort();
    }
    if (this.options.saslSsl && !this.secured) {
      this.secured = {
        tls: makeBrokerTlsMaterial(path.join(this.dir, 'tls')),
        broker: { name: 'broker', password: randomBytes(12).toString('hex') },
        users: [SUPER_USER, ...(this.options.users ?? [])].map((name) => ({ name, password: randomBytes(12).toString('hex') })),
      };
    }
    const secured = this.secured;
    this.running = await startKafkaBroker({
      cacheDir: path.join(projectRoot(), '.cache'),
      dataDir: path.join(this.dir, 'data'),
      port: this.port,
      controllerPort: this.controllerPort,
      heapMb: 512,
      logFile: this.logFile,
      say: () => undefined,
      ...(secured
        ? {
            saslSsl: {
              keystoreFile: secured.tls.keystoreFile,
              truststoreFile: secured.tls.truststoreFile,
              storePassword: secured.tls.storePassword,
              scramUsers: [secured.broker, ...secured.users],
              superUsers: [SUPER_USER],
              probe: this.clientSecurity,
            },
          }
        : {}),
    });
  }

  /** Kills the broker's JVM with SIGKILL (no clean shutdown) and waits until it is gone. */
  async kill(): Promise<void> {
    const child = this.running?.process;
    this.running = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await gone;
  }

  get up(): boolean {
    return this.running !== null;
  }

  async stop(): Promise<void> {
    await this.running?.stop();
    this.running = null;
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Terminates the services' PostgreSQL connections (found by application_name), as a
 * failover or a network cut would: whatever transaction they had open is rolled back.
 * Returns how many were terminated.
 */
export async function terminateServiceConnections(db: pg.Pool, services: ServiceName[], onlyBusy = false): Promise<number> {
  const { rows } = await db.query<{ terminated: boolean }>(
    `SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = ANY($1)
        AND ($2 = false OR state IN ('active', 'idle in transaction'))`,
    [services, onlyBusy],
  );
  return rows.filter((r) => r.terminated).length;
}

export interface CrashRecord {
  service: ServiceName;
  signal: NodeJS.Signals | null;
  code: number | null;
  at: number;
}

/**
 * Plays a process supervisor for a suite: when a service's main instance exits on its
 * own (or is killed), it is started again on the same port, without a fault plan.
 */
export class Supervisor {
  readonly crashes: CrashRecord[] = [];
  readonly failedRestarts: string[] = [];
  private stopped = false;
  private readonly watching = new Set<ServiceName>();
  private readonly replaced = new WeakSet<object>();
  private restarting: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly suite: Suite,
    private readonly options: {
      restartDelayMs?: number;
      onRestart?: (crash: CrashRecord) => void;
      /** Environments for a service's next restarts, in turn (e.g. the next fault plan); none after. */
      plans?: Partial<Record<ServiceName, NodeJS.ProcessEnv[]>>;
    } = {},
  ) {}

  watch(...names: ServiceName[]): this {
    for (const name of names) {
      if (this.watching.has(name)) continue;
      this.watching.add(name);
      this.follow(name);
    }
    return this;
  }

  /** Waits until `count` crashes have been seen and every restart has finished. */
  async waitForCrashes(count: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.crashes.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} crash(es) within ${timeoutMs / 1000}s, saw ${this.crashes.length}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await this.settled();
  }

  /** Resolves once no restart is in progress. */
  async settled(): Promise<void> {
    let current: Promise<unknown>;
    do {
      current = this.restarting;
      await current;
    } while (current !== this.restarting);
  }

  /** Replaces a service's instance on purpose (e.g. with a fault plan); not counted as a crash. */
  async restartWith(name: ServiceName, env: NodeJS.ProcessEnv, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const step = this.restarting.then(async () => {
      const current = this.suite.services[name];
      if (current) this.replaced.add(current);
      await this.suite.restart(name, env, signal);
      this.follow(name);
    });
    this.restarting = step.catch((error: Error) => {
      this.failedRestarts.push(`${name}: ${error.message}`);
    });
    await step;
  }

  stop(): void {
    this.stopped = true;
  }

  private follow(name: ServiceName): void {
    const instance = this.suite.services[name];
    if (!instance) throw new Error(`${name} is not running in this suite`);
    void instance.exited.then(({ code, signal }) => {
      if (this.stopped || this.replaced.has(instance)) return;
      const crash = { service: name, code, signal, at: Date.now() };
      this.crashes.push(crash);
      this.restarting = this.restarting
        .then(() => this.restart(name, crash))
        .catch((error: Error) => {
          this.failedRestarts.push(`${name}: ${error.message}`);
        });
    });
  }

  private async restart(name: ServiceName, crash: CrashRecord): Promise<void> {
    if (this.options.restartDelayMs) await new Promise((resolve) => setTimeout(resolve, this.options.restartDelayMs));
    for (let attempt = 1; !this.stopped; attempt += 1) {
      try {
        this.replaced.add(this.suite.services[name]!);
        const plan = attempt === 1 ? this.options.plans?.[name]?.shift() : undefined;
        await this.suite.restart(name, plan ?? {});
        this.options.onRestart?.(crash);
        this.follow(name);
        return;
      } catch (error) {
        if (attempt >= 10) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
      }
    }
  }
}

/**
 * Polls the invariant checker until every invariant holds (the system settled), or fails
 * with the last report after the deadline.
 */
export async function waitForInvariants(db: pg.Pool, timeoutMs = 60_000): Promise<InvariantReport> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const report = await checkInvariants(db, { settleWindowMs: 0, publishWindowMs: 0, sampleSize: 5 });
    if (report.ok) return report;
    if (Date.now() > deadline) throw new Error(`invariants still broken after ${timeoutMs / 1000}s:\n${formatInvariantReport(report)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * Runs `work` while watching the suite's services: a service that exits before `work`
 * settles fails it at once, with its exit and its last lines, instead of leaving the
 * test to wait out its deadline for work that can no longer happen.
 */
export async function whileServicesRun<T>(suite: Suite, work: Promise<T>): Promise<T> {
  let settled = false;
  const watchers = Object.entries(suite.services).map(([name, service]) =>
    service.exited.then(({ code, signal }) => {
      if (settled) return new Promise<never>(() => undefined);
      const tail = service.output.slice(-30).join('\n');
      throw new Error(`${name} exited (${signal ?? `code ${code}`}) while the test was running; its last lines:\n${tail}`);
    }),
  );
  try {
    return await Promise.race([work, ...watchers]);
  } finally {
    settled = true;
  }
}
