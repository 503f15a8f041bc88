import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { UsageError, parseCommandLine, positiveNumberOption, withUsage } from '@pt/config';
import { SERVICE_NAMES, freePort, projectRoot, serviceEntry, startEmbeddedPostgres, type RunningPostgres, type ServiceName } from '@pt/dev-stack';
import { DedicatedBroker } from '../fault-tools.js';
import { startSuite, type Suite } from '../suite.js';
import { runSoak, type SoakResult } from './soak-run.js';

const USAGE = `usage: npm run soak -- [--minutes N] [--seed S] [--rate R] [--fault-every SECONDS]
  --minutes N            how long to run the load (default 30)
  --seed S               seed of the order mix and of the fault schedule (default: random, printed)
  --rate R               reports per second (default 3)
  --fault-every SECONDS  mean pause between two faults (default 40)
Starts its own PostgreSQL (unless DATABASE_URL is set) and its own Kafka broker (unless
KAFKA_BROKERS is set; then the broker is never killed), runs the three services, files
reports of every kind while injecting faults at random, then lets the system settle and
runs the invariant checker. Exits 0 when every invariant and every report's outcome
held, 1 otherwise. Logs go to .data/soak/<start>-seed-<seed>/.`;

interface Args {
  minutes: number;
  seed: number;
  rate: number;
  faultEverySeconds: number;
}

function readArgs(argv: string[]): Args | 'help' {
  const { values } = parseCommandLine(argv, {
    minutes: { type: 'string' },
    seed: { type: 'string' },
    rate: { type: 'string' },
    'fault-every': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return 'help';
  const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : positiveNumberOption(values.seed, 'seed');
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be a whole number, got "${values.seed}"`);
  return {
    minutes: values.minutes === undefined ? 30 : positiveNumberOption(values.minutes, 'minutes'),
    seed,
    rate: values.rate === undefined ? 3 : positiveNumberOption(values.rate, 'rate'),
    faultEverySeconds: values['fault-every'] === undefined ? 40 : positiveNumberOption(values['fault-every'], 'fault-every'),
  };
}

const say = (text: string) => {
  for (const line of text.split('\n')) process.stdout.write(`[soak] ${line}\n`);
};

async function main(): Promise<number> {
  const args = readArgs(process.argv.slice(2));
  if (args === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const root = projectRoot();
  const logDir = path.join(root, '.data', 'soak', `${new Date().toISOString().replace(/[:.]/g, '-')}-seed-${args.seed}`);
  fs.mkdirSync(logDir, { recursive: true });
  say(
    `seed ${args.seed}; ${args.minutes} min at ${args.rate} reports/s, a fault every ${args.faultEverySeconds} s on average; logs in ${path.relative(root, logDir)}`,
  );
  say(
    `machine: ${os.cpus().length} cores, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} at the start (other work on the machine slows the soak down)`,
  );

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'payment-triage-soak-'));
  fs.chmodSync(scratch, 0o755);
  let postgres: RunningPostgres | null = null;
  let broker: DedicatedBroker | null = null;
  let suite: Suite | null = null;
  const template = `soak_template_${process.pid}`;
  let adminUrl: string;
  const streams = new Map<ServiceName, fs.WriteStream>();
  try {
    if (process.env.DATABASE_URL) {
      const url = new URL(process.env.DATABASE_URL);
      url.pathname = '/postgres';
      adminUrl = url.toString();
    } else {
      const port = await freePort();
      say(`starting PostgreSQL on 127.0.0.1:${port}`);
      postgres = await startEmbeddedPostgres({
        dataDir: path.join(scratch, 'postgres'),
        port,
        persistent: false,
        logFile: path.join(logDir, 'postgres.log'),
        settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
      });
      adminUrl = postgres.url('postgres');
    }
    let brokers = process.env.KAFKA_BROKERS;
    if (!brokers) {
      broker = new DedicatedBroker();
      say("starting a Kafka broker of the soak's own (it will be killed now and then)");
      await broker.start();
      brokers = broker.brokers;
    } else {
      say('KAFKA_BROKERS is set: the soak will not kill those brokers');
    }

    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${template}"`);
    await admin.end();
    const templateUrl = new URL(adminUrl);
    templateUrl.pathname = `/${template}`;
    for (const name of SERVICE_NAMES) {
      const result = spawnSync(process.execPath, [serviceEntry(name, 'migrate.js')], {
        env: { ...process.env, DATABASE_URL: templateUrl.toString() },
        encoding: 'utf8',
      });
      if (result.status !== 0) throw new Error(`migrating the template database failed: ${result.stderr.trim()}`);
    }
    process.env.TEST_PG_ADMIN_URL = adminUrl;
    process.env.TEST_TEMPLATE_DB = template;

    for (const name of SERVICE_NAMES) streams.set(name, fs.createWriteStream(path.join(logDir, `${name}.log`), { flags: 'a' }));
    suite = await startSuite(
      'soak',
      ['intake', 'reconciliation', 'settlement'],
      { TRIAGE_VELOCITY_LIMIT: '1000000', DB_POOL_SIZE: '10', TRIAGE_SWEEP_INTERVAL_MS: '1000', OUTBOX_POLL_MS: '100' },
      { brokers, onLine: (service, line) => streams.get(service)?.write(`${line}\n`) },
    );
    say('services up; load starts');
    const result = await runSoak(suite, { ...args, broker, say });
    printSummary(result);
    fs.writeFileSync(path.join(logDir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
    if (broker) fs.copyFileSync(broker.logFile, path.join(logDir, 'kafka.log'));
    return result.ok ? 0 : 1;
  } finally {
    say('tearing down');
    await suite?.stop().catch((error: Error) => say(`warning: ${error.message}`));
    for (const stream of streams.values()) stream.end();
    await broker?.stop().catch((error: Error) => say(`warning: ${error.message}`));
    if (!postgres && process.env.DATABASE_URL) {
      const admin = new pg.Client({ connectionString: adminUrl! });
      await admin.connect().catch(() => undefined);
      await admin.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`).catch(() => undefined);
      await admin.end().catch(() => undefined);
    }
    await postgres?.stop().catch((error: Error) => say(`warning: ${error.message}`));
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function printSummary(result: SoakResult): void {
  const byKind = new Map<string, number>();
  for (const f of result.faults) byKind.set(f.kind, (byKind.get(f.kind) ?? 0) + 1);
  const minutes = result.perMinute.length;
  const peak = Math.max(0, ...result.perMinute.map((m, i) => m.accepted - (result.perMinute[i - 1]?.accepted ?? 0)));
  say('');
  say(`seed ${result.seed}, ${result.minutes} min of load`);
  say(
    `reports planned ${result.planned}, acknowledged ${result.accepted}; issuances ${result.issuances} for ${result.owed} owed order lines (orders of 1-5 units)`,
  );
  say(`throughput: ${(result.accepted / Math.max(minutes, 1)).toFixed(0)} reports/min on average, ${peak} in the best minute`);
  say(
    `faults injected ${result.faults.length}: ${[...byKind.entries()].map(([k, n]) => `${k} ${n}`).join(', ')}; process exits seen by the supervisor ${result.crashes}`,
  );
  if (result.workloadProblems.length > 0) {
    say(`${result.workloadProblems.length} report(s) did not end as promised, e.g.:`);
    for (const p of result.workloadProblems.slice(0, 10)) say(`  - ${p}`);
  }
  say(result.ok ? `RESULT: ok (seed ${result.seed})` : `RESULT: FAILED (seed ${result.seed} reproduces the fault schedule)`);
}

// Ctrl-C reaches the services, the broker and PostgreSQL too (one process group): stop here.
process.once('SIGINT', () => {
  say('interrupted');
  process.exit(130);
});

withUsage('soak', USAGE, main).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`soak: ${(error as Error).message}\n`);
    process.exit(2);
  },
);
