import { DEFAULT_KAFKA_CLIENT } from '@pt/config';
import { INCIDENT_REPORTED_TYPE, TOPICS, dlqOf, type IncidentReportedV1 } from '@pt/contracts';
import {
  Upstream,
  agentToken,
  postReport,
  stableUuid,
  startSuite,
  waitFor,
  waitForDecision as waitForDecisionOf,
  waitForMirror as waitForMirrorOf,
  type SimOrder,
  type Suite,
} from '@pt/testing';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The first path end to end, through the real broker and database: upstream events,
 * a buyer's report on intake, triage in reconciliation, the decision back on intake.
 */
describe('a "paid but not credited" report, end to end', () => {
  let suite: Suite;
  let upstream: Upstream;
  const secrets = Array.from({ length: 5 }, (_, i) => `SECRET-MARKER-${i}-${crypto.randomUUID().slice(0, 8)}`);

  const order = (n: string, sku = 'SKU-E2E'): SimOrder => ({
    orderNumber: `E2E-${n}-${crypto.randomUUID().slice(0, 6)}`,
    accountId: `acct-${n}`,
    phoneLast4: '4321',
    merchantId: '3f0c1f7e-2b1a-4c1e-9d7a-0a1b2c3d4e5f',
    sku,
    amountMinor: '600',
    currency: 'CNY',
    placedAt: new Date(Date.now() - 30 * 60_000),
  });

  const report = (o: SimOrder, extra: Record<string, unknown> = {}) => ({
    orderNumber: o.orderNumber,
    accountId: o.accountId,
    amountMinor: o.amountMinor,
    currency: o.currency,
    paidAt: new Date(o.placedAt.getTime() + 60_000).toISOString(),
    channel: 'wechat',
    phoneLast4: '4321',
    ...extra,
  });

  const post = (body: unknown, headers: Record<string, string> = {}) => postReport(suite, body, headers);
  const waitForDecision = (id: string) => waitForDecisionOf(suite, id);
  const waitForMirror = (orderNumber: string, clearingRecords: number) => waitForMirrorOf(suite, orderNumber, clearingRecords);

  beforeAll(async () => {
    suite = await startSuite('first-path', ['intake', 'reconciliation', 'settlement']);
    upstream = new Upstream(suite.publisher);
    const res = await fetch(`${suite.url('reconciliation')}/v1/admin/card-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${suite.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ keys: secrets.map((secret) => ({ sku: 'SKU-E2E', secret })) }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ imported: 5, duplicatesInFile: [], duplicatesInStock: [] });
  });

  afterAll(async () => {
    await suite?.stop();
  });

  it('runs the services and the tests on the Node pinned in .nvmrc, and the services on the configured Kafka client', () => {
    const pinned = `v${fs.readFileSync(path.join(process.cwd(), '.nvmrc'), 'utf8').trim()}`;
    expect(process.version).toBe(pinned);
    const ready = suite
      .logs()
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg?: string; node?: string; kafkaClient?: string })
      .filter((entry) => entry.msg?.endsWith(' ready'));
    expect(ready.map((entry) => entry.msg).sort()).toEqual(['intake ready', 'reconciliation ready', 'settlement ready']);
    for (const entry of ready) expect(entry.node).toBe(pinned);
    // …and on the Kafka client KAFKA_CLIENT names (the default when unset).
    for (const entry of ready) expect(entry.kafkaClient).toBe(process.env.KAFKA_CLIENT || DEFAULT_KAFKA_CLIENT);
  });

  it('re-issues a card key when the bank cleared the money but the callback was lost', async () => {
    const o = order('lost');
    await upstream.orderPlaced(o);
    await upstream.clearing(o, `PAY-${o.orderNumber}`, 'wechat', 'CLEARED', 1);
    await waitForMirror(o.orderNumber, 1);

    const created = await post(report(o), { 'x-correlation-id': `corr-${o.orderNumber}`, 'x-buyer-token': await suite.buyerToken(o.accountId) });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'RECEIVED', orderNumber: o.orderNumber, verified: true, existing: false });
    expect(created.body).not.toHaveProperty('decision');
    expect(created.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.body.ticketNumber).toMatch(/^PT-\d{8}-\d{6}$/);

    const triaged = await waitForDecision(created.body.id);
    expect(triaged.status).toBe('AUTO_RESOLVED');
    expect(triaged.decision).toMatchObject({ outcome: 'AUTO_RESOLVED', reasonCode: 'REISSUED' });
    expect(triaged.decision.explanation).toContain('callback was lost');

    // One issuance, one allocated key, the lost payment recorded as a correction.
    const { rows: issuances } = await suite.db.query(`SELECT * FROM reconciliation.issuances WHERE order_number = $1`, [o.orderNumber]);
    expect(issuances).toHaveLength(1);
    expect(issuances[0].card_key_id).toBe(triaged.decision.cardKeyId);
    const { rows: keys } = await suite.db.query(`SELECT status, order_number FROM reconciliation.card_keys WHERE id = $1`, [issuances[0].card_key_id]);
    expect(keys[0]).toEqual({ status: 'ALLOCATED', order_number: o.orderNumber });
    const { rows: payments } = await suite.db.query(`SELECT is_correction, amount_minor FROM reconciliation.ledger_payments WHERE order_number = $1`, [
      o.orderNumber,
    ]);
    expect(payments).toEqual([{ is_correction: true, amount_minor: '600' }]);

    // The evidence behind the decision is frozen and served by reconciliation.
    const decisions = (await (
      await fetch(`${suite.url('reconciliation')}/v1/decisions/${created.body.id}`, { headers: { authorization: `Bearer ${await agentToken(suite)}` } })
    ).json()) as Record<string, any>;
    expect(decisions.decisions).toHaveLength(1);
    expect(decisions.decisions[0]).toMatchObject({ reasonCode: 'REISSUED', ruleVersion: expect.any(String) });
    expect(decisions.decisions[0].evidence.clearing[0]).toMatchObject({ status: 'CLEARED', amountMinor: '600' });
    expect(decisions.decisions[0].evidence.payments).toEqual([]);

    // Events went out through the outboxes, keyed by the order number, carrying no secret.
    const reissued = await waitFor('cardkey.reissued event', async () => {
      const list = (await suite.topics.readAll(TOPICS.cardKeyReissued)).filter((m) => m.key === o.orderNumber);
      return list.length === 1 ? list : undefined;
    });
    expect(JSON.parse(reissued[0].value).payload).toMatchObject({ cardKeyId: triaged.decision.cardKeyId, maskedHint: expect.stringMatching(/^\*{4}.{4}$/) });
    const reported = (await suite.topics.readAll(TOPICS.incidentReported)).filter((m) => m.key === o.orderNumber);
    expect(reported).toHaveLength(1);
    expect(reported[0].headers['x-correlation-id']).toBe(`corr-${o.orderNumber}`);
    const corrections = (await suite.topics.envelopes(TOPICS.ledgerEvents)).filter((e) => e.type === 'ledger.payment-corrected');
    expect(corrections.map((e) => (e.payload as { orderNumber: string }).orderNumber)).toContain(o.orderNumber);

    // The correlation id travelled with the report into reconciliation's log lines.
    const reconciliationLines = suite.services.reconciliation!.output.filter((l) => l.includes(`corr-${o.orderNumber}`));
    expect(reconciliationLines.some((l) => l.includes('incident triaged'))).toBe(true);
  });

  it('escalates with a reason code when the order is unknown', async () => {
    const created = await post(report(order('ghost')));
    expect(created.status).toBe(201);
    const triaged = await waitForDecision(created.body.id);
    expect(triaged.status).toBe('ESCALATED');
    expect(triaged.decision.reasonCode).toBe('ORDER_NOT_FOUND');
  });

  it('escalates a failed clearing without issuing anything', async () => {
    const o = order('failed');
    await upstream.orderPlaced(o);
    await upstream.paymentRecorded(o, `PAY-${o.orderNumber}`, 'unionpay');
    await upstream.clearing(o, `PAY-${o.orderNumber}`, 'unionpay', 'FAILED', 1, { failureCode: 'CARD_DECLINED' });
    await waitForMirror(o.orderNumber, 1);
    const created = await post(report(o));
    const triaged = await waitForDecision(created.body.id);
    expect(triaged.decision).toMatchObject({ outcome: 'ESCALATED', reasonCode: 'CLEARING_FAILED', cardKeyId: null });
    const { rows } = await suite.db.query(`SELECT count(*)::int AS n FROM reconciliation.issuances WHERE order_number = $1`, [o.orderNumber]);
    expect(rows[0].n).toBe(0);
  });

  it('the same report sent twice gives one incident and one delivery', async () => {
    const o = order('twice');
    await upstream.orderPlaced(o);
    await upstream.clearing(o, `PAY-${o.orderNumber}`, 'wechat', 'CLEARED', 1);
    await waitForMirror(o.orderNumber, 1);
    const [a, b] = await Promise.all([post(report(o)), post(report(o))]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.id).toBe(b.body.id);
    const again = await post(report(o));
    expect(again.body.id).toBe(a.body.id);
    const triaged = await waitForDecision(a.body.id);
    expect(triaged.decision.reasonCode).toBe('REISSUED');
    const { rows } = await suite.db.query(
      `SELECT (SELECT count(*) FROM intake.incidents WHERE order_number = $1)::int AS incidents,
              (SELECT count(*) FROM reconciliation.issuances WHERE order_number = $1)::int AS issuances,
              (SELECT count(*) FROM reconciliation.ledger_deliveries WHERE order_number = $1)::int AS deliveries`,
      [o.orderNumber],
    );
    expect(rows[0]).toEqual({ incidents: 1, issuances: 1, deliveries: 1 });
  });

  it('the same incident.reported event delivered three times issues once', async () => {
    const o = order('redelivered');
    await upstream.orderPlaced(o);
    await upstream.clearing(o, `PAY-${o.orderNumber}`, 'wechat', 'CLEARED', 1);
    await waitForMirror(o.orderNumber, 1);
    const incidentId = crypto.randomUUID();
    const payload: IncidentReportedV1 = {
      incidentId,
      ticketNumber: 'PT-20261121-999999',
      incidentType: 'PAID_NOT_CREDITED',
      source: 'BUYER',
      orderNumber: o.orderNumber,
      accountId: o.accountId,
      amountMinor: '600',
      currency: 'CNY',
      paidAt: new Date().toISOString(),
      channel: 'wechat',
      urgent: false,
      reportedAt: new Date().toISOString(),
    };
    const eventId = crypto.randomUUID();
    for (let i = 0; i < 3; i += 1) await suite.publisher.publish(INCIDENT_REPORTED_TYPE, o.orderNumber, payload, { eventId });
    await waitFor('a decision for the redelivered report', async () => {
      const { rows } = await suite.db.query(`SELECT count(*)::int AS n FROM reconciliation.decisions WHERE incident_id = $1`, [incidentId]);
      return rows[0].n >= 1;
    });
    await waitFor('all three copies consumed', async () => {
      const metrics = await (await fetch(`${suite.url('reconciliation')}/metrics`)).text();
      const match = /kafka_messages_consumed_total\{[^}]*topic="incident\.reported\.v1"[^}]*outcome="duplicate"[^}]*\} (\d+)/.exec(metrics);
      return match && Number(match[1]) >= 2;
    });
    const { rows } = await suite.db.query(
      `SELECT (SELECT count(*) FROM reconciliation.issuances WHERE order_number = $1)::int AS issuances,
              (SELECT count(*) FROM reconciliation.decisions WHERE incident_id = $2)::int AS decisions`,
      [o.orderNumber, incidentId],
    );
    expect(rows[0]).toEqual({ issuances: 1, decisions: 1 });
  });

  it.each([
    ['orderNumber', { orderNumber: undefined }],
    ['amountMinor', { amountMinor: 12.5 }],
    ['amountMinor', { amountMinor: '-3' }],
    ['currency', { currency: 'yuan' }],
    ['paidAt', { paidAt: 'yesterday' }],
    ['phoneLast4', { phoneLast4: '12' }],
    ['type', { type: 'REFUND_PLEASE' }],
    ['nickname', { nickname: 'x' }],
  ])('answers 400 naming %s, and stores nothing', async (field, change) => {
    const before = await suite.db.query(`SELECT count(*)::int AS n FROM intake.incidents`);
    const body = { ...report(order('bad')), ...change };
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('VALIDATION_FAILED');
    expect(res.body.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect(res.body.message).toContain(field);
    const after = await suite.db.query(`SELECT count(*)::int AS n FROM intake.incidents`);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('answers 400 for a body that is not JSON, and 404 / 400 for unknown or malformed ids', async () => {
    const res = await post('{"orderNumber":');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('MALFORMED_JSON');
    const auth = { headers: { authorization: `Bearer ${await agentToken(suite)}` } };
    const missing = await fetch(`${suite.url('intake')}/v1/incidents/${crypto.randomUUID()}`, auth);
    expect(missing.status).toBe(404);
    const malformed = await fetch(`${suite.url('intake')}/v1/incidents/not-a-uuid`, auth);
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { fields: { field: string }[] }).fields[0].field).toBe('id');
  });

  it('replays an Idempotency-Key with the same body and refuses it with another', async () => {
    const o = order('idem');
    const key = `idem-${crypto.randomUUID()}`;
    const first = await post(report(o), { 'idempotency-key': key });
    const second = await post(report(o), { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    const other = await post(report(o, { amountMinor: '601' }), { 'idempotency-key': key });
    expect(other.status).toBe(422);
    expect(other.body.error).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('dead-letters a malformed upstream event with the reason in its headers, and keeps consuming', async () => {
    const o = order('poison');
    await suite.publisher.publishRaw(TOPICS.ledgerEvents, o.orderNumber, '{"this is": not json');
    await suite.publisher.publishRaw(
      TOPICS.ledgerEvents,
      o.orderNumber,
      JSON.stringify({
        eventId: crypto.randomUUID(),
        type: 'ledger.order-placed',
        schemaVersion: 1,
        occurredAt: new Date().toISOString(),
        correlationId: 'c',
        payload: { orderNumber: o.orderNumber, amountMinor: 1.5 },
      }),
    );
    await upstream.orderPlaced(o);
    await waitFor('the valid event after the poison to be applied', async () => {
      const { rows } = await suite.db.query(`SELECT 1 FROM reconciliation.ledger_orders WHERE order_number = $1`, [o.orderNumber]);
      return rows.length === 1;
    });
    const dead = await waitFor('both poison messages in the DLQ', async () => {
      const list = (await suite.topics.readAll(dlqOf(TOPICS.ledgerEvents))).filter(
        (m) => m.key === o.orderNumber && m.headers['x-dlq-consumer-group'] === `${suite.prefix}-reconciliation`,
      );
      return list.length === 2 ? list : undefined;
    });
    const reasons = dead.map((m) => m.headers['x-dlq-reason']).sort();
    expect(reasons).toEqual(['INVALID_PAYLOAD', 'MALFORMED_JSON']);
    const invalid = dead.find((m) => m.headers['x-dlq-reason'] === 'INVALID_PAYLOAD')!;
    expect(invalid.headers['x-dlq-error']).toContain('payload.amountMinor');
    expect(invalid.headers['x-dlq-source-topic']).toBe(TOPICS.ledgerEvents);
  });

  it('exposes health, readiness and Prometheus metrics on every service', async () => {
    for (const name of ['intake', 'reconciliation', 'settlement'] as const) {
      const health = await fetch(`${suite.url(name)}/healthz`);
      expect(health.status).toBe(200);
      const ready = await fetch(`${suite.url(name)}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready', checks: { database: 'ok', kafka: 'ok' } });
      const metrics = await (await fetch(`${suite.url(name)}/metrics`)).text();
      expect(metrics).toContain('http_requests_total');
      expect(metrics).toContain('outbox_backlog');
    }
    const reconciliation = await (await fetch(`${suite.url('reconciliation')}/metrics`)).text();
    expect(reconciliation).toMatch(/triage_outcomes_total\{[^}]*outcome="AUTO_RESOLVED"[^}]*reason="REISSUED"/);
    expect(reconciliation).toMatch(/kafka_messages_consumed_total\{[^}]*topic="ledger\.events\.v1"[^}]*outcome="processed"/);
    expect(reconciliation).toMatch(/kafka_messages_dead_lettered_total\{[^}]*topic="ledger\.events\.v1"/);
    const intake = await (await fetch(`${suite.url('intake')}/metrics`)).text();
    expect(intake).toMatch(/kafka_messages_published_total\{[^}]*topic="incident\.reported\.v1"/);
  });

  it('serves on every service, without a credential, the OpenAPI document committed in docs/openapi/', async () => {
    for (const name of ['intake', 'reconciliation', 'settlement'] as const) {
      const res = await fetch(`${suite.url(name)}/openapi.json`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const committed: unknown = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'docs', 'openapi', `${name}.json`), 'utf8'));
      expect({ name, document: await res.json() }).toEqual({ name, document: committed });
    }
  });

  it('settlement mirrors clearing status, and the newest version wins', async () => {
    const o = order('settle');
    const ref = `PAY-${o.orderNumber}`;
    await upstream.clearing(o, ref, 'alipay', 'CLEARED', 2);
    await upstream.clearing(o, ref, 'alipay', 'CLEARING', 1);
    await waitFor('settlement to hold the payment', async () => {
      const { rows } = await suite.db.query(`SELECT clearing_status, clearing_version FROM settlement.payments WHERE payment_reference = $1`, [ref]);
      return rows[0]?.clearing_status === 'CLEARED' ? rows : undefined;
    });
    // Let the late, older event be consumed, then check it changed nothing.
    await waitFor('both clearing events consumed by settlement', async () => {
      const ids = [stableUuid(`${ref}:clearing:1`), stableUuid(`${ref}:clearing:2`)];
      const { rows } = await suite.db.query(`SELECT count(*)::int AS n FROM settlement.inbox WHERE event_id = ANY($1::uuid[])`, [ids]);
      return rows[0].n === 2;
    });
    const { rows } = await suite.db.query(`SELECT clearing_status, clearing_version::int AS v FROM settlement.payments WHERE payment_reference = $1`, [ref]);
    expect(rows[0]).toEqual({ clearing_status: 'CLEARED', v: 2 });
  });

  it('never lets a card-key secret reach a log line or a Kafka message', async () => {
    const logs = suite.logs().join('\n');
    const topics = await Promise.all(Object.values(TOPICS).flatMap((t) => [suite.topics.readAll(t), suite.topics.readAll(dlqOf(t))]));
    const messages = topics
      .flat()
      .map((m) => `${m.key} ${m.value} ${JSON.stringify(m.headers)}`)
      .join('\n');
    expect(messages.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(logs).not.toContain(secret);
      expect(messages).not.toContain(secret);
    }
  });
});
