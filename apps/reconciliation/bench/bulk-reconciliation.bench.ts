import 'reflect-metadata';
import { InboxEntity, OutboxEntity, openServiceDataSource, serviceDataSourceOptions } from '@pt/database';
import { ensureDatabase, freePort, startEmbeddedPostgres, type RunningPostgres } from '@pt/dev-stack';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { BulkReconciliationService } from '../src/bulk-reconciliation/bulk-reconciliation.service.js';
import { ReconRunRepository } from '../src/bulk-reconciliation/recon-run.repository.js';
import { ClearingRepository } from '../src/clearing/clearing.repository.js';
import { ClearingService } from '../src/clearing/clearing.service.js';
import { StatementFormats } from '../src/config/statement-format.js';
import { RECONCILIATION_MIGRATIONS } from '../src/migrations/index.js';
import { TriageIncidents } from '../src/triage/triage-incidents.js';
import { TriageRepository } from '../src/triage/triage.repository.js';

/**
 * `npm run bench:recon`: a statement of ROWS rows against a ledger of the same size, the
 * whole bulk run (streamed import, COPY, set-based matching, findings) timed next to what
 * PostgreSQL itself takes, on the same server in the same process, for a plain COPY of the
 * same file plus one hash join of the two tables. Uses DATABASE_URL's server (in a scratch
 * database it drops afterwards) or a throw-away embedded PostgreSQL.
 */
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const DAY = '2026-11-21';
const CHANNEL = 'wechat';

const say = (line: string) => process.stdout.write(`[bench] ${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

// Planted discrepancies, by order index (the rest match).
// Orders i % 100000 = 1 get no delivery (paid, nothing delivered: MISSING_IN_LEDGER / NO_DELIVERY) and
// orders i % 200000 = 2 no ledger payment (callback lost: MISSING_IN_LEDGER / NO_PAYMENT): see fillLedger's SQL.
const wrongAmount = (i: number) => i % 250_000 === 3; // AMOUNT_MISMATCH
const notInStatement = (i: number) => i % 500_000 === 4; // MISSING_IN_STATEMENT

async function database(): Promise<{ url: string; stop: () => Promise<void> }> {
  const name = `pt_bench_${process.pid}`;
  if (process.env.DATABASE_URL) {
    const admin = new URL(process.env.DATABASE_URL);
    admin.pathname = '/postgres';
    await ensureDatabase(admin.toString(), name);
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    say(`using the PostgreSQL at DATABASE_URL (scratch database ${name})`);
    return {
      url: url.toString(),
      stop: async () => {
        const client = new pg.Client({ connectionString: admin.toString() });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await client.end();
      },
    };
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'payment-triage-bench-'));
  fs.chmodSync(scratch, 0o755);
  const port = await freePort();
  say(`starting a throw-away embedded PostgreSQL on 127.0.0.1:${port} (same settings as the tests)`);
  const server: RunningPostgres = await startEmbeddedPostgres({
    dataDir: path.join(scratch, 'postgres'),
    port,
    persistent: false,
    logFile: path.join(scratch, 'postgres.log'),
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
  });
  await ensureDatabase(server.url('postgres'), name);
  return {
    url: server.url(name),
    stop: async () => {
      await server.stop();
      fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
}

async function fillLedger(client: pg.Client): Promise<void> {
  const started = Date.now();
  await client.query(`
    INSERT INTO reconciliation.ledger_orders (order_number, account_id, merchant_id, sku, quantity, amount_minor, currency, placed_at)
    SELECT 'B-' || i, 'acct-' || (i % 50000), '3f0c1f7e-2b1a-4c1e-9d7a-0a1b2c3d4e5f', 'SKU-B', 1, 100 + i % 9000, 'CNY',
           timestamptz '${DAY}T00:00:00+08:00' + (i % 86000) * interval '1 second'
      FROM generate_series(1, ${ROWS}) AS i`);
  await client.query(`
    INSERT INTO reconciliation.ledger_payments (payment_reference, order_number, channel, amount_minor, currency, paid_at)
    SELECT 'WX' || i, 'B-' || i, '${CHANNEL}', 100 + i % 9000, 'CNY', timestamptz '${DAY}T00:00:00+08:00' + (i % 86000 + 30) * interval '1 second'
      FROM generate_series(1, ${ROWS}) AS i WHERE i % 200000 <> 2`);
  await client.query(`
    INSERT INTO reconciliation.ledger_deliveries (id, order_number, card_key_ref, source, status, occurred_at)
    SELECT gen_random_uuid(), 'B-' || i, 'key-' || i, 'SHOP', 'DELIVERED', timestamptz '${DAY}T00:00:00+08:00' + (i % 86000 + 60) * interval '1 second'
      FROM generate_series(1, ${ROWS}) AS i WHERE i % 100000 <> 1`);
  // As a live ledger would be: vacuumed (hint bits set, visibility map) and analysed.
  for (const table of ['ledger_orders', 'ledger_payments', 'ledger_deliveries']) await client.query(`VACUUM ANALYZE reconciliation.${table}`);
  say(`ledger filled: ${ROWS} orders, payments and deliveries in ${seconds(Date.now() - started)}`);
}

/** The channel's statement in the wechat-v1 format, written in batches. */
async function writeStatement(file: string): Promise<number> {
  const out = fs.createWriteStream(file);
  out.write('transaction_id,out_trade_no,trade_state,total_fee,fee_type,success_time\n');
  let batch: string[] = [];
  let rows = 0;
  const base = Date.parse(`${DAY}T00:00:00+08:00`);
  for (let i = 1; i <= ROWS; i += 1) {
    if (notInStatement(i)) continue;
    const at = new Date(base + 8 * 3_600_000 + ((i % 86000) + 45) * 1000).toISOString().slice(0, 19).replace('T', ' ');
    const amount = 100 + (i % 9000) + (wrongAmount(i) ? 1 : 0);
    batch.push(`WX${i},B-${i},SUCCESS,${amount},CNY,${at}\n`);
    rows += 1;
    if (batch.length === 10_000) {
      if (!out.write(batch.join(''))) await once(out, 'drain');
      batch = [];
    }
  }
  out.end(batch.join(''));
  await once(out, 'finish');
  return rows;
}

/** PostgreSQL alone: COPY the file as CSV into a plain table, then one hash join with the ledger's payments. */
async function plainBaseline(url: string, file: string): Promise<{ copyMs: number; joinMs: number; plan: string }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`SET work_mem = '256MB'`);
    await client.query(`DROP TABLE IF EXISTS bench_statement`);
    await client.query(
      `CREATE UNLOGGED TABLE bench_statement (transaction_id text, out_trade_no text, trade_state text, total_fee bigint, fee_type text, success_time timestamp)`,
    );
    const copyStarted = Date.now();
    await pipeline(fs.createReadStream(file), client.query(copyFrom(`COPY bench_statement FROM STDIN WITH (FORMAT csv, HEADER true)`)));
    const copyMs = Date.now() - copyStarted;
    const join = `SELECT count(*) FROM bench_statement s JOIN reconciliation.ledger_payments p ON p.payment_reference = s.transaction_id`;
    const { rows: planRows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${join}`);
    const joinStarted = Date.now();
    await client.query(join);
    const joinMs = Date.now() - joinStarted;
    await client.query(`DROP TABLE bench_statement`);
    const plan =
      planRows
        .map((r) => r['QUERY PLAN'])
        .find((l) => /Join/.test(l))
        ?.trim() ?? '?';
    return { copyMs, joinMs, plan };
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const db = await database();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recon-bench-'));
  try {
    const dataSource = await openServiceDataSource(
      serviceDataSourceOptions({
        url: db.url,
        schema: 'reconciliation',
        entities: [OutboxEntity, InboxEntity],
        migrations: RECONCILIATION_MIGRATIONS,
        poolSize: 4,
        applicationName: 'recon-bench',
      }),
    );
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await fillLedger(client);
    await client.end();
    const file = path.join(dir, `wechat-${DAY}.csv`);
    const statementRows = await writeStatement(file);
    say(`statement written: ${statementRows} rows, ${(fs.statSync(file).size / 1e6).toFixed(1)} MB`);

    const service = new BulkReconciliationService(
      new ReconRunRepository(dataSource),
      {
        databaseUrl: db.url,
        toleranceMinor: '0',
        incidentCap: 50,
        maxRejectedPercent: 5,
        rejectedRowsKept: 1000,
        timeZone: '+08:00',
        formats: new StatementFormats(undefined),
      },
      { log: () => undefined, nudge: () => undefined },
      new ClearingService(new ClearingRepository(dataSource)),
      new TriageIncidents(new TriageRepository(dataSource)),
    );

    // The figures only mean something next to how busy the machine was.
    const load = () =>
      os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ');
    const loadAtStart = load();
    const baselines: { copyMs: number; joinMs: number; plan: string }[] = [];
    const runs: { ms: number; summary: unknown }[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      const baseline = await plainBaseline(db.url, file);
      baselines.push(baseline);
      say(`round ${round}: plain COPY ${seconds(baseline.copyMs)} + hash join ${seconds(baseline.joinMs)} = ${seconds(baseline.copyMs + baseline.joinMs)}`);
      const started = Date.now();
      const run = await service.runStatement(
        { channel: CHANNEL, periodStart: DAY, periodEnd: DAY, dryRun: false, requestedBy: 'BENCH', correlationId: `bench-${round}` },
        fs.createReadStream(file, { highWaterMark: 256 * 1024 }),
      );
      const ms = Date.now() - started;
      if (run.status !== 'SUCCEEDED') throw new Error(`the run ended ${run.status}: ${run.error}`);
      runs.push({ ms, summary: run.summary });
      say(
        `round ${round}: bulk reconciliation run ${seconds(ms)} (${Math.round(statementRows / (ms / 1000))} rows/s); ${JSON.stringify(run.summary?.timingsMs)}`,
      );
    }

    const best = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
    const bestBaseline = baselines.reduce((a, b) => (b.copyMs + b.joinMs < a.copyMs + a.joinMs ? b : a));
    const baselineMs = bestBaseline.copyMs + bestBaseline.joinMs;
    const summary = best.summary as {
      matched: number;
      byCategory: Record<string, number>;
      byFinding: Record<string, number>;
      incidents: Record<string, unknown>;
    };
    say(
      `machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; node ${process.version}; load average ${loadAtStart} before the rounds, ${load()} after`,
    );
    say(`join plan of the baseline: ${bestBaseline.plan}`);
    say(`matched ${summary.matched}; ${JSON.stringify(summary.byFinding)}; incidents ${JSON.stringify(summary.incidents)}`);
    process.stdout.write(
      [
        '',
        `| rows | bulk run | rows/s | plain COPY | hash join | COPY + join | ratio |`,
        `|---|---|---|---|---|---|---|`,
        `| ${statementRows} | ${seconds(best.ms)} | ${Math.round(statementRows / (best.ms / 1000))} | ${seconds(bestBaseline.copyMs)} | ${seconds(bestBaseline.joinMs)} | ${seconds(baselineMs)} | ${(best.ms / baselineMs).toFixed(2)}x |`,
        '',
      ].join('\n'),
    );
    await dataSource.destroy();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await db.stop();
  }
}

await main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`bench: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
