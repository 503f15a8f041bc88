import type { LoggerService } from '@nestjs/common';
import { MESSAGING_RETAINED_TABLES, openServiceDataSource, serviceDataSourceOptions } from '@pt/database';
import { ServiceMetrics } from '@pt/observability';
import { RetentionSweeper } from '@pt/platform';
import { createTestDatabase, startSuite, testPool, waitFor, type Suite } from '@pt/testing';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { DataSource } from 'typeorm';

const quiet: LoggerService = { log: () => undefined, error: () => undefined, warn: () => undefined, debug: () => undefined };

/**
 * Published outbox rows, inbox rows and idempotency keys older than the retention age are
 * deleted in small batches; younger ones, and outbox rows not published (pending or set
 * aside), stay. Two sweepers at once (two replicas) delete each row once, without error.
 */
describe('the retention sweeper', () => {
  let database: { url: string; drop: () => Promise<void> };
  let db: pg.Pool;
  const dataSources: DataSource[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('retention');
    db = testPool(database.url);
    for (let i = 0; i < 2; i += 1) {
      dataSources.push(
        await openServiceDataSource(
          serviceDataSourceOptions({ url: database.url, schema: 'intake', entities: [], migrations: [], poolSize: 2, applicationName: `retention-${i}` }),
        ),
      );
    }
  });

  afterAll(async () => {
    for (const dataSource of dataSources) await dataSource.destroy();
    await db?.end();
    await database?.drop();
  });

  const outbox = async (label: string, publishedAgo: string | null, createdAgo: string, setAside = false) =>
    db.query(
      `INSERT INTO intake.outbox (event_id, topic, message_key, type, envelope, created_at, published_at, set_aside_at)
       VALUES ($1, 't', $2, 'x', '{}', now() - $3::interval, now() - $4::interval, CASE WHEN $5 THEN now() END)`,
      [randomUUID(), label, createdAgo, publishedAgo, setAside],
    );
  const labels = async (sql: string) => (await db.query(sql)).rows.map((r) => r.label).sort();

  it('purges what is older than the age and keeps the rest', async () => {
    for (let i = 0; i < 7; i += 1) await outbox(`old-published-${i}`, '30 days', '31 days');
    await outbox('young-published', '1 hour', '1 hour');
    await outbox('old-pending', null, '30 days');
    await outbox('old-set-aside', null, '30 days', true);
    for (let i = 0; i < 5; i += 1) {
      await db.query(`INSERT INTO intake.inbox (consumer, event_id, topic, processed_at) VALUES ('c', $1, $2, now() - interval '20 days')`, [
        randomUUID(),
        `old-${i}`,
      ]);
      await db.query(`INSERT INTO intake.idempotency_keys (key, request_hash, created_at) VALUES ($1, 'h', now() - interval '20 days')`, [`old-${i}`]);
    }
    await db.query(`INSERT INTO intake.inbox (consumer, event_id, topic, processed_at) VALUES ('c', $1, 'young', now() - interval '6 days')`, [randomUUID()]);
    await db.query(`INSERT INTO intake.idempotency_keys (key, request_hash, created_at) VALUES ('young', 'h', now() - interval '6 days')`);

    const metrics = dataSources.map(() => new ServiceMetrics('retention-test'));
    const sweepers = dataSources.map(
      (dataSource, i) =>
        new RetentionSweeper({
          dataSource,
          tables: [...MESSAGING_RETAINED_TABLES, { table: 'idempotency_keys', doneAt: 'created_at' }],
          olderThanSeconds: 7 * 24 * 3600,
          batchSize: 2,
          intervalMs: 60_000,
          metrics: metrics[i],
          logger: quiet,
        }),
    );
    // Two replicas sweeping at the same moment.
    const results = await Promise.all(sweepers.map((s) => s.sweepOnce()));
    const sum = (table: string) => results.reduce((n, r) => n + (r[table] ?? 0), 0);
    expect([sum('outbox'), sum('inbox'), sum('idempotency_keys')]).toEqual([7, 5, 5]);

    expect(await labels(`SELECT message_key AS label FROM intake.outbox`)).toEqual(['old-pending', 'old-set-aside', 'young-published']);
    expect(await labels(`SELECT topic AS label FROM intake.inbox`)).toEqual(['young']);
    expect(await labels(`SELECT key AS label FROM intake.idempotency_keys`)).toEqual(['young']);
    const counted = await Promise.all(metrics.map((m) => m.registry.getSingleMetric('retention_rows_purged_total')!.get()));
    const purgedOutbox = counted
      .flatMap((c) => c.values)
      .filter((v) => v.labels.table === 'outbox')
      .reduce((n, v) => n + v.value, 0);
    expect(purgedOutbox).toBe(7);

    // Nothing left to purge: a second sweep deletes nothing.
    expect(await sweepers[0].sweepOnce()).toEqual({ outbox: 0, inbox: 0, idempotency_keys: 0 });
  }, 60_000);
});

describe('a running service', () => {
  let suite: Suite;

  beforeAll(async () => {
    suite = await startSuite('retention-service', ['reconciliation'], {
      RETENTION_HOURS: '1',
      RETENTION_SWEEP_INTERVAL_MS: '1000',
      RETENTION_BATCH_SIZE: '10',
    });
  });

  afterAll(async () => {
    await suite?.stop();
  });

  it('purges its own old rows by itself and says so in /metrics', async () => {
    const old = randomUUID();
    const young = randomUUID();
    await suite.db.query(`INSERT INTO reconciliation.inbox (consumer, event_id, topic, processed_at) VALUES ('c', $1, 'old', now() - interval '2 hours')`, [
      old,
    ]);
    await suite.db.query(
      `INSERT INTO reconciliation.inbox (consumer, event_id, topic, processed_at) VALUES ('c', $1, 'young', now() - interval '10 minutes')`,
      [young],
    );
    const present = async (id: string) => (await suite.db.query('SELECT 1 FROM reconciliation.inbox WHERE event_id = $1', [id])).rowCount === 1;
    await waitFor('the old inbox row to be purged', async () => !(await present(old)), { timeoutMs: 30_000, intervalMs: 250 });
    expect(await present(young)).toBe(true);
    const metrics = await (await fetch(`${suite.url('reconciliation')}/metrics`)).text();
    expect(metrics).toMatch(/retention_rows_purged_total\{[^}]*table="inbox"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/^outbox_set_aside\{[^}]*\} 0$/m);
  }, 120_000);
});
