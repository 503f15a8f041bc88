import { TOPICS, dlqOf, physicalTopic } from '@pt/contracts';
import { projectRoot } from '@pt/dev-stack';
import { Upstream, startSuite, waitFor, type SimOrder, type Suite } from '@pt/testing';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';

/**
 * A ledger event whose handler fails on every attempt (here: the database refuses the
 * row, until an operator fixes it) is dead-lettered after its retries; `npm run dlq --
 * replay` sends it back to its topic once fixed, it is applied once, and replaying it a
 * second time changes nothing.
 */
describe('npm run dlq', () => {
  let suite: Suite;
  const cliPath = path.join(projectRoot(), 'dist', 'libs', 'kafka', 'src', 'dlq-cli.js');
  const dlq = (...args: string[]) => spawnSync(process.execPath, [cliPath, ...args], { env: suite.env, encoding: 'utf8', timeout: 120_000 });
  const order: SimOrder = {
    orderNumber: `DLQ-${Date.now()}`,
    accountId: 'acct-dlq',
    phoneLast4: '1234',
    merchantId: randomUUID(),
    sku: 'SKU-DLQ',
    amountMinor: '1500',
    currency: 'CNY',
    placedAt: new Date(),
  };
  const mirrored = async () =>
    Number((await suite.db.query('SELECT count(*) FROM reconciliation.ledger_orders WHERE order_number = $1', [order.orderNumber])).rows[0].count);
  const inboxRows = async () =>
    Number((await suite.db.query(`SELECT count(*) FROM reconciliation.inbox WHERE topic = $1`, [TOPICS.ledgerEvents])).rows[0].count);
  /** True once the reconciliation group has committed every ledger message there is. */
  const caughtUp = async () => {
    const admin = suite.kafka.admin();
    await admin.connect();
    try {
      const topic = physicalTopic(suite.prefix, TOPICS.ledgerEvents);
      const high = await admin.topicOffsets(topic);
      const committed = await admin.committedOffsets(`${suite.prefix}-reconciliation`, topic);
      return high.every((h) => {
        const c = committed.find((p) => p.partition === h.partition)?.offset;
        return h.high === '0' || c === h.high;
      });
    } finally {
      await admin.disconnect();
    }
  };

  beforeAll(async () => {
    suite = await startSuite('dlq-replay', ['reconciliation'], { CONSUMER_RETRY_DELAYS_MS: '200,400' });
    // The operator's mistake: the mirror refuses this order (a permanent error, not a transient one).
    await suite.db.query(`
      CREATE FUNCTION reconciliation.refuse_dlq_order() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.order_number LIKE 'DLQ-%' THEN RAISE EXCEPTION 'orders of this merchant are refused' USING ERRCODE = 'P0001'; END IF;
        RETURN NEW;
      END $$`);
    await suite.db.query(
      `CREATE TRIGGER refuse_dlq_order BEFORE INSERT ON reconciliation.ledger_orders FOR EACH ROW EXECUTE FUNCTION reconciliation.refuse_dlq_order()`,
    );
  });

  afterAll(async () => {
    await suite?.stop();
  });

  it('refuses an unknown flag with the usage and exit status 2', () => {
    const result = dlq('list', '--bogus');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("Unknown option '--bogus'");
    expect(result.stderr).toContain('usage: npm run dlq');
    expect(dlq('replay', '--topic', 'no.such.topic').status).toBe(2);
    expect(dlq('list', '--since', 'yesterday').status).toBe(2);
  });

  it('replays a dead-lettered event once the cause is fixed; a second replay changes nothing', async () => {
    await new Upstream(suite.publisher).orderPlaced(order);
    await waitFor('the event in the DLQ', async () => (await suite.topics.readAll(dlqOf(TOPICS.ledgerEvents))).length === 1, {
      timeoutMs: 60_000,
      intervalMs: 500,
    });
    expect(await mirrored()).toBe(0);

    const list = dlq('list', '--topic', TOPICS.ledgerEvents, '--reason', 'HANDLER_FAILED', '--since', new Date(Date.now() - 3_600_000).toISOString());
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(
      new RegExp(`^ledger\\.events\\.v1:\\d+:0 .* HANDLER_FAILED  attempts 3  group ${suite.prefix}-reconciliation  key ${order.orderNumber} `, 'm'),
    );
    expect(list.stdout).toContain('orders of this merchant are refused');
    expect(list.stdout).toContain('1 dead letter (topic ledger.events.v1');
    // Filters that match nothing.
    expect(dlq('list', '--reason', 'MALFORMED_JSON').stdout).toContain('0 dead letters');
    expect(dlq('list', '--until', new Date(Date.now() - 3_600_000).toISOString()).stdout).toContain('0 dead letters');
    const id = /^(ledger\.events\.v1:\d+:0) /m.exec(list.stdout)![1];
    const show = dlq('show', id, '--json');
    expect(show.status).toBe(0);
    const [shown] = JSON.parse(show.stdout) as { headers: Record<string, string>; value: string }[];
    expect(shown.headers['x-dlq-reason']).toBe('HANDLER_FAILED');
    expect(JSON.parse(shown.value).payload.orderNumber).toBe(order.orderNumber);

    const dry = dlq('replay', '--topic', TOPICS.ledgerEvents, '--dry-run');
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain(`would replay ${id} -> ledger.events.v1 (key ${order.orderNumber}, HANDLER_FAILED)`);
    expect(dry.stdout).toContain('dry run: would replay 1 message of 1 dead letter');

    // The operator fixes the cause, then replays.
    await suite.db.query('DROP TRIGGER refuse_dlq_order ON reconciliation.ledger_orders');
    expect(await caughtUp()).toBe(true);
    expect(await mirrored()).toBe(0); // the dry run sent nothing
    const inboxBefore = await inboxRows();
    const replay = dlq('replay', '--topic', TOPICS.ledgerEvents, '--reason', 'HANDLER_FAILED');
    expect(replay.status).toBe(0);
    expect(replay.stdout).toContain(`replayed ${id} -> ledger.events.v1`);
    expect(replay.stdout).toContain(
      `replayed 1 message of 1 dead letter matching topic ledger.events.v1, reason HANDLER_FAILED [topic prefix ${suite.prefix}]`,
    );
    await waitFor('the replayed order in the mirror', async () => (await mirrored()) === 1, { timeoutMs: 30_000, intervalMs: 200 });
    await waitFor('the consumer to commit past the replay', caughtUp, { timeoutMs: 30_000, intervalMs: 200 });
    expect(await inboxRows()).toBe(inboxBefore + 1);

    const again = dlq('replay', '--topic', TOPICS.ledgerEvents);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('replayed 1 message of 1 dead letter');
    await waitFor('the consumer to commit past the second replay', caughtUp, { timeoutMs: 30_000, intervalMs: 200 });
    const metrics = await (await fetch(`${suite.url('reconciliation')}/metrics`)).text();
    expect(metrics).toMatch(
      /kafka_messages_consumed_total\{[^}]*topic="ledger\.events\.v1"[^}]*outcome="duplicate"[^}]*\} 1\b|kafka_messages_consumed_total\{[^}]*outcome="duplicate"[^}]*topic="ledger\.events\.v1"[^}]*\} 1\b/,
    );
    expect(await mirrored()).toBe(1);
    expect(await inboxRows()).toBe(inboxBefore + 1);
    // Nothing new was dead-lettered by the replays.
    expect(await suite.topics.readAll(dlqOf(TOPICS.ledgerEvents))).toHaveLength(1);
  }, 180_000);
});
