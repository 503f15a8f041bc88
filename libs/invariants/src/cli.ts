import 'reflect-metadata';
import { ConfigError, UsageError, loadConfig, parseCommandLine, withUsage } from '@pt/config';
import { createKafkaClient } from '@pt/kafka';
import { JsonLogger } from '@pt/observability';
import pg from 'pg';
import { InvariantCheckConfig } from './check-config.js';
import { DEFAULT_INVARIANT_OPTIONS, checkInvariants, formatInvariantReport, type InvariantCheckResult, type InvariantDatabases } from './invariant-checks.js';
import { checkPublishedOnTopics } from './topic-check.js';

const USAGE = `usage: npm run check-invariants -- [--json] [--settle-seconds N] [--publish-seconds N] [--topics]
  --json               print the report as JSON
  --settle-seconds N   how long a report may still be in flight (default ${DEFAULT_INVARIANT_OPTIONS.settleWindowMs / 1000})
  --publish-seconds N  how long an outbox event may stay unpublished (default ${DEFAULT_INVARIANT_OPTIONS.publishWindowMs / 1000})
  --topics             also check that every event marked published is on its Kafka topic
Reads DATABASE_URL (INTAKE_/RECONCILIATION_/SETTLEMENT_DATABASE_URL where a schema lives
elsewhere), INCIDENT_STUCK_AFTER_MINUTES (intake's stuck threshold, default 15) and, with --topics, KAFKA_BROKERS, KAFKA_TOPIC_PREFIX, KAFKA_SSL* and KAFKA_SASL*.
Exits 0 when every invariant holds, 1 on any violation, 2 when it cannot check.`;

interface Args {
  json: boolean;
  topics: boolean;
  settleWindowMs: number;
  publishWindowMs: number;
}

function windowMs(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined) return fallback;
  const seconds = Number(text);
  if (text.trim() === '' || !Number.isFinite(seconds) || seconds < 0) throw new UsageError(`--${name} needs a number of seconds, got "${text}"`);
  return seconds * 1000;
}

function readArgs(argv: string[]): Args | 'help' {
  const { values } = parseCommandLine(argv, {
    json: { type: 'boolean' },
    topics: { type: 'boolean' },
    'settle-seconds': { type: 'string' },
    'publish-seconds': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return 'help';
  return {
    json: values.json === true,
    topics: values.topics === true,
    settleWindowMs: windowMs(values['settle-seconds'], 'settle-seconds', DEFAULT_INVARIANT_OPTIONS.settleWindowMs),
    publishWindowMs: windowMs(values['publish-seconds'], 'publish-seconds', DEFAULT_INVARIANT_OPTIONS.publishWindowMs),
  };
}

async function main(): Promise<number> {
  const args = readArgs(process.argv.slice(2));
  if (args === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const config = loadConfig(InvariantCheckConfig, process.env);
  const pools = new Map<string, pg.Pool>();
  const pool = (url: string) => {
    if (!pools.has(url)) {
      const created = new pg.Pool({ connectionString: url, max: 2, application_name: 'check-invariants' });
      // A query on a lost connection fails on its own; an idle one closing is no reason to crash.
      created.on('error', () => undefined);
      pools.set(url, created);
    }
    return pools.get(url)!;
  };
  const dbs: InvariantDatabases = {
    intake: pool(config.INTAKE_DATABASE_URL ?? config.DATABASE_URL),
    reconciliation: pool(config.RECONCILIATION_DATABASE_URL ?? config.DATABASE_URL),
    settlement: pool(config.SETTLEMENT_DATABASE_URL ?? config.DATABASE_URL),
  };
  try {
    const report = await checkInvariants(dbs, {
      settleWindowMs: args.settleWindowMs,
      publishWindowMs: args.publishWindowMs,
      stuckAfterMs: config.INCIDENT_STUCK_AFTER_MINUTES * 60_000,
    });
    const extra: InvariantCheckResult[] = [];
    if (args.topics) {
      if (!config.KAFKA_BROKERS) throw new ConfigError(['KAFKA_BROKERS: is required with --topics']);
      const kafka = createKafkaClient({
        brokers: config.KAFKA_BROKERS.split(','),
        clientId: 'check-invariants',
        security: config.kafkaSecurity(),
        logger: new JsonLogger('check-invariants', 'error'),
      });
      extra.push(await checkPublishedOnTopics(dbs, kafka, config.KAFKA_TOPIC_PREFIX, report.options));
    }
    const violations = report.totalViolations + extra.reduce((sum, c) => sum + c.violations, 0);
    if (args.json) {
      process.stdout.write(
        `${JSON.stringify({ ...report, ok: violations === 0, totalViolations: violations, checks: [...report.checks, ...extra] }, null, 2)}\n`,
      );
    } else {
      process.stdout.write(`${formatInvariantReport(report, extra)}\n`);
    }
    return violations === 0 ? 0 : 1;
  } finally {
    await Promise.all([...pools.values()].map((p) => p.end()));
  }
}

withUsage('check-invariants', USAGE, main).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`check-invariants: ${error instanceof ConfigError ? error.message : `cannot check: ${(error as Error).message}`}\n`);
    process.exit(2);
  },
);
