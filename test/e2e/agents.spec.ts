import { INCIDENT_ACTION_TYPES, TOPICS, buildEnvelope } from '@pt/contracts';
import {
  Upstream,
  agentToken,
  importCardKeys,
  markedSecrets,
  postReport,
  reportBody,
  simOrder,
  startSuite,
  waitFor,
  waitForCaughtUp,
  waitForDecision,
  type SimOrder,
  type Suite,
} from '@pt/testing';

/** Support agents: sign-in, permissions, the queue, actions, SLA clocks and the audit trail. */
describe('support agents', () => {
  let suite: Suite;
  let up: Upstream;
  let alice: string;
  let bob: string;
  let sam: string;
  const secrets = markedSecrets('agents', 8);

  const call = async (service: 'intake' | 'reconciliation', method: string, path: string, token?: string | null, body?: unknown) => {
    const res = await fetch(`${suite.url(service)}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, any>) : null };
  };

  /** An order whose report ends ESCALATED with the given clearing story. */
  const escalated = async (
    label: string,
    story: 'failed' | 'amount' | 'unknown',
    extra: Record<string, unknown> = {},
  ): Promise<{ id: string; order: SimOrder }> => {
    const o = simOrder(label, { sku: 'SKU-AGENTS' });
    if (story !== 'unknown') {
      await up.orderPlaced(o);
      if (story === 'failed') await up.clearing(o, `PAY-${o.orderNumber}`, 'unionpay', 'FAILED', 1, { failureCode: 'CARD_DECLINED' });
      else await up.clearing(o, `PAY-${o.orderNumber}`, 'wechat', 'CLEARED', 1, { amountMinor: '599' });
      await waitForCaughtUp(suite, 'reconciliation', [TOPICS.ledgerEvents, TOPICS.clearingEvents]);
    }
    const created = await postReport(suite, reportBody(o, extra));
    await waitForDecision(suite, created.body.id);
    return { id: created.body.id, order: o };
  };

  beforeAll(async () => {
    suite = await startSuite('agents', ['intake', 'reconciliation'], {
      SLA_BUSINESS_HOURS: '00:00-24:00',
      SLA_BUSINESS_DAYS: '1,2,3,4,5,6,7',
      SLA_UTC_OFFSET_MINUTES: '0',
      SLA_POLICIES: 'P1:0.05/0.1,P2:600/1200,P3:600/1200',
      SLA_SWEEP_INTERVAL_MS: '200',
    });
    up = new Upstream(suite.publisher);
    alice = await agentToken(suite, 'agent', 'alice');
    bob = await agentToken(suite, 'agent', 'bob');
    sam = await agentToken(suite, 'supervisor', 'sam');
    await importCardKeys(
      suite,
      secrets.map((secret) => ({ sku: 'SKU-AGENTS', secret })),
    );
  });

  afterAll(async () => {
    await suite?.stop();
  });

  it('refuses a username for a while after five failed sign-ins, and says when to try again', async () => {
    const password = `pw-${crypto.randomUUID()}`;
    expect((await call('intake', 'POST', '/v1/admin/agents', suite.adminToken, { username: 'guessed', role: 'agent', password })).status).toBe(201);
    for (let i = 0; i < 5; i += 1) {
      expect((await call('intake', 'POST', '/v1/auth/sign-in', null, { username: 'guessed', password: `guess-${i}-wrong` })).status).toBe(401);
    }
    const res = await fetch(`${suite.url('intake')}/v1/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'guessed', password }),
    });
    expect(res.status).toBe(429);
    // Counted in fixed 15-minute windows: the wait is what is left of the current one.
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(900);
    const body = (await res.json()) as { error: string; message: string };
    expect(body.error).toBe('SIGN_IN_THROTTLED');
    expect(JSON.stringify(body)).not.toContain(password);
    // An unknown name is counted alike, and other agents are not affected.
    for (let i = 0; i < 5; i += 1) await call('intake', 'POST', '/v1/auth/sign-in', null, { username: 'no-such-agent', password: 'whatever-it-is' });
    expect((await call('intake', 'POST', '/v1/auth/sign-in', null, { username: 'no-such-agent', password: 'whatever-it-is' })).status).toBe(429);
    expect((await call('intake', 'GET', '/v1/auth/me', alice)).status).toBe(200);
  });

  it('signs in with a password only, and a signed-out token is refused at once', async () => {
    const wrong = await call('intake', 'POST', '/v1/auth/sign-in', null, { username: 'alice', password: 'not-her-password' });
    const unknown = await call('intake', 'POST', '/v1/auth/sign-in', null, { username: 'nobody', password: 'whatever-it-is' });
    expect(wrong.status).toBe(401);
    expect({ ...wrong.body, correlationId: 0 }).toEqual({ ...unknown.body, correlationId: 0 });
    const temp = await agentToken(suite, 'agent', 'temp-agent');
    expect((await call('intake', 'GET', '/v1/auth/me', temp)).status).toBe(200);
    expect((await call('intake', 'POST', '/v1/auth/sign-out', temp)).status).toBe(204);
    expect((await call('intake', 'GET', '/v1/auth/me', temp)).status).toBe(401);
    expect((await call('intake', 'GET', '/v1/incidents', temp)).status).toBe(401);
  });

  it('permission matrix: every route × no one, agent, supervisor', async () => {
    const { id, order } = await escalated('matrix', 'amount');
    type Expect = [number[], number[], number[]]; // allowed statuses for none, agent, supervisor
    const ok = [200, 201, 202, 409];
    const routes: [string, 'intake' | 'reconciliation', string, string, unknown, Expect][] = [
      // Buyer-side routes take a channel client key: an agent's token is no such key.
      ['report (channel clients only)', 'intake', 'POST', '/v1/incidents', reportBody(simOrder('matrix-report')), [[401], [401], [401]]],
      ['buyer ticket (channel clients only)', 'intake', 'GET', '/v1/tickets/PT-20261121-000001', undefined, [[401], [401], [401]]],
      ['buyer reveal (channel clients only)', 'reconciliation', 'POST', '/v1/card-keys/reveal', { orderNumber: order.orderNumber }, [[401], [401], [401]]],
      ['queue', 'intake', 'GET', '/v1/incidents', undefined, [[401], [200], [200]]],
      ['incident', 'intake', 'GET', `/v1/incidents/${id}`, undefined, [[401], [200], [200]]],
      ['timeline', 'intake', 'GET', `/v1/incidents/${id}/timeline`, undefined, [[401], [200], [200]]],
      ['me', 'intake', 'GET', '/v1/auth/me', undefined, [[401], [200], [200]]],
      ['claim', 'intake', 'POST', `/v1/incidents/${id}/claim`, {}, [[401], ok, ok]],
      ['note', 'intake', 'POST', `/v1/incidents/${id}/notes`, { note: 'called the buyer' }, [[401], [201], [201]]],
      ['escalate', 'intake', 'POST', `/v1/incidents/${id}/escalate`, { reason: 'needs a refund decision' }, [[401], ok, ok]],
      ['recheck', 'intake', 'POST', `/v1/incidents/${id}/recheck`, { reason: 'try again' }, [[401], ok, ok]],
      ['resolve', 'intake', 'POST', `/v1/incidents/${id}/resolve`, { resolutionCode: 'REFUNDED', note: 'refunded' }, [[401], ok, ok]],
      ['reject', 'intake', 'POST', `/v1/incidents/${id}/reject`, { reason: 'not ours' }, [[401], ok, ok]],
      ['reopen', 'intake', 'POST', `/v1/incidents/${id}/reopen`, { reason: 'buyer wrote again' }, [[401], ok, ok]],
      ['force re-issue', 'intake', 'POST', `/v1/incidents/${id}/force-reissue`, { reason: 'goodwill' }, [[401], [403], ok]],
      ['admin: agents', 'intake', 'GET', '/v1/admin/agents', undefined, [[401], [401], [401]]],
      ['evidence', 'reconciliation', 'GET', `/v1/decisions/${id}`, undefined, [[401], [200], [200]]],
      [
        'supervisor reveal',
        'reconciliation',
        'POST',
        '/v1/card-keys/reveal-for-agent',
        { orderNumber: order.orderNumber, incidentId: id, reason: 'read to buyer' },
        [[401], [403], [200, 404]],
      ],
      ['admin: card keys', 'reconciliation', 'GET', '/v1/admin/card-keys/stock', undefined, [[401], [401], [401]]],
    ];
    const failures: string[] = [];
    for (const [name, service, method, path, body, expected] of routes) {
      for (const [who, token, allowed] of [
        ['no one', null, expected[0]],
        ['agent', alice, expected[1]],
        ['supervisor', sam, expected[2]],
      ] as const) {
        const res = await call(service, method, path, token, body);
        if (!allowed.includes(res.status)) failures.push(`${name} as ${who}: ${res.status} (expected ${allowed.join('/')})`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('one agent at a time: claim, conflict, resolve; it leaves the queue and every step is in the timeline', async () => {
    const { id } = await escalated('claim', 'failed');
    const queue = await call('intake', 'GET', '/v1/incidents?reasonCode=CLEARING_FAILED', alice);
    expect(queue.body!.items.map((i: { id: string }) => i.id)).toContain(id);
    const item = queue.body!.items.find((i: { id: string }) => i.id === id);
    expect(item.timeLeft).toMatchObject({ target: 'FIRST_RESPONSE', paused: false });

    expect((await call('intake', 'POST', `/v1/incidents/${id}/claim`, alice)).body).toMatchObject({ status: 'IN_PROGRESS' });
    const second = await call('intake', 'POST', `/v1/incidents/${id}/claim`, bob);
    expect(second.status).toBe(409);
    expect(second.body!.error).toBe('ALREADY_CLAIMED');
    const notHis = await call('intake', 'POST', `/v1/incidents/${id}/resolve`, bob, { resolutionCode: 'REFUNDED', note: 'x' });
    expect(notHis.status).toBe(409);
    const badCode = await call('intake', 'POST', `/v1/incidents/${id}/resolve`, alice, { resolutionCode: 'WHATEVER', note: 'x' });
    expect(badCode.status).toBe(400);
    expect(badCode.body!.fields[0].field).toBe('resolutionCode');
    const resolved = await call('intake', 'POST', `/v1/incidents/${id}/resolve`, alice, { resolutionCode: 'REFUNDED', note: 'refund sent to the buyer' });
    expect(resolved.body).toMatchObject({ status: 'RESOLVED', resolutionCode: 'REFUNDED' });

    const after = await call('intake', 'GET', '/v1/incidents', alice);
    expect(after.body!.items.map((i: { id: string }) => i.id)).not.toContain(id);
    const timeline = await call('intake', 'GET', `/v1/incidents/${id}/timeline`, alice);
    const entries = timeline.body!.entries as Record<string, any>[];
    expect(entries.map((e) => e.action)).toEqual(['REPORTED', 'TRIAGED', 'CLAIM', 'RESOLVE']);
    expect(entries[3]).toMatchObject({
      actorType: 'AGENT',
      actorName: 'alice',
      statusBefore: 'IN_PROGRESS',
      statusAfter: 'RESOLVED',
      reason: 'refund sent to the buyer',
    });
    expect(entries[3].before).toMatchObject({ status: 'IN_PROGRESS' });
    expect(entries[3].after).toMatchObject({ status: 'RESOLVED', resolutionCode: 'REFUNDED' });

    const reopened = await call('intake', 'POST', `/v1/incidents/${id}/reopen`, bob, { reason: 'buyer says the refund never came' });
    expect(reopened.body).toMatchObject({ status: 'IN_PROGRESS' });
  });

  it("the audit trail cannot be changed by the service's database role", async () => {
    await expect(suite.db.query(`UPDATE intake.audit_log SET reason = 'rewritten'`)).rejects.toThrow(/append-only/);
    await expect(suite.db.query(`DELETE FROM intake.audit_log`)).rejects.toThrow(/append-only/);
    await expect(suite.db.query(`TRUNCATE intake.audit_log`)).rejects.toThrow(/append-only/);
  });

  it('an SLA breach is published once per target and marks the incident; the queue shows the time overdue', async () => {
    const { id } = await escalated('sla', 'unknown', { urgent: true });
    const breaches = await waitFor(
      'both SLA targets breached',
      async () => {
        const list = (await suite.topics.envelopes<{ incidentId: string; target: string; priority: string }>(TOPICS.incidentSlaBreached)).filter(
          (e) => e.payload.incidentId === id,
        );
        return list.length >= 2 ? list : undefined;
      },
      { timeoutMs: 20_000 },
    );
    expect(breaches.map((e) => e.payload.target).sort()).toEqual(['FIRST_RESPONSE', 'RESOLUTION']);
    expect(breaches[0].payload.priority).toBe('P1');
    const incident = await call('intake', 'GET', `/v1/incidents/${id}`, alice);
    expect(incident.body!.sla).toMatchObject({ breachedFirstResponse: true, breachedResolution: true });
    expect(incident.body!.timeLeft.businessMinutes).toBeLessThan(0);
    // Still exactly two after more sweeps.
    await waitFor('a few more sweeps', async () => {
      const { rows } = await suite.db.query(`SELECT count(*)::int AS n FROM intake.audit_log WHERE incident_id = $1 AND action = 'SLA_BREACHED'`, [id]);
      return rows[0].n === 2;
    });
    const again = (await suite.topics.envelopes<{ incidentId: string }>(TOPICS.incidentSlaBreached)).filter((e) => e.payload.incidentId === id);
    expect(again).toHaveLength(2);
  });

  it('the SLA clock is paused while the incident awaits clearing', async () => {
    const o = simOrder('paused', { sku: 'SKU-AGENTS' });
    await up.orderPlaced(o);
    await up.paymentRecorded(o, `PAY-${o.orderNumber}`, 'wechat');
    await up.clearing(o, `PAY-${o.orderNumber}`, 'wechat', 'CLEARING', 1, { at: new Date() });
    await waitForCaughtUp(suite, 'reconciliation', [TOPICS.ledgerEvents, TOPICS.clearingEvents]);
    const created = await postReport(suite, reportBody(o, { urgent: true }));
    await waitForDecision(suite, created.body.id, 'AWAITING_CLEARING');
    const incident = await call('intake', 'GET', `/v1/incidents/${created.body.id}`, alice);
    expect(incident.body!.sla.paused).toBe(true);
    expect(incident.body!.timeLeft.paused).toBe(true);
    const { rows } = await suite.db.query(`SELECT sla_breached_first_response FROM intake.incidents WHERE id = $1`, [created.body.id]);
    expect(rows[0].sla_breached_first_response).toBe(false);
  });

  it('a re-check sends the incident back to triage, which decides again with fresh evidence', async () => {
    const { id, order } = await escalated('recheck', 'unknown');
    await up.orderPlaced(order);
    await up.clearing(order, `PAY-${order.orderNumber}`, 'wechat', 'CLEARED', 1);
    await waitForCaughtUp(suite, 'reconciliation', [TOPICS.ledgerEvents, TOPICS.clearingEvents]);
    const res = await call('intake', 'POST', `/v1/incidents/${id}/recheck`, alice, { reason: 'the order exists now' });
    expect(res.status).toBe(202);
    expect(res.body!.status).toBe('TRIAGING');
    const final = await waitForDecision(suite, id, 'REISSUED');
    expect(final.status).toBe('AUTO_RESOLVED');
    const timeline = await call('intake', 'GET', `/v1/incidents/${id}/timeline`, alice);
    expect(timeline.body!.entries.map((e: { action: string }) => e.action)).toEqual(['REPORTED', 'TRIAGED', 'REQUEST_RECHECK', 'TRIAGED']);

    // The command travelled on its own topic, keyed by the order, and not on the reports' topic.
    const commands = (await suite.topics.readAll(TOPICS.incidentCommands)).filter((m) => m.key === order.orderNumber);
    expect(commands.map((m) => (JSON.parse(m.value) as { type: string }).type)).toEqual([INCIDENT_ACTION_TYPES.recheckRequested]);
    const reported = (await suite.topics.readAll(TOPICS.incidentReported)).filter((m) => m.key === order.orderNumber);
    expect(reported.map((m) => (JSON.parse(m.value) as { type: string }).type)).toEqual(['incident.reported']);
  });

  it('a command an intake of the previous release left on incident.reported.v1 is still applied, once', async () => {
    const { id, order } = await escalated('old-topic', 'amount');
    const command = buildEnvelope(
      INCIDENT_ACTION_TYPES.forceReissueRequested,
      {
        incidentId: id,
        orderNumber: order.orderNumber,
        requestedBy: crypto.randomUUID(),
        reason: 'published by the previous intake',
        requestedAt: new Date().toISOString(),
      },
      `old-topic-${id}`,
    );
    // Delivered twice, as at-least-once delivery may.
    for (let i = 0; i < 2; i += 1) await suite.publisher.publishRaw(TOPICS.incidentReported, order.orderNumber, JSON.stringify(command));
    await waitForCaughtUp(suite, 'reconciliation', [TOPICS.incidentReported]);
    const audit = await suite.db.query(`SELECT action FROM reconciliation.audit_log WHERE subject = $1 AND action LIKE 'FORCE_REISSUE_%'`, [
      `order:${order.orderNumber}`,
    ]);
    expect(audit.rows).toEqual([{ action: 'FORCE_REISSUE_ISSUED' }]);
    const issued = await suite.db.query(`SELECT cause FROM reconciliation.issuances WHERE order_number = $1`, [order.orderNumber]);
    expect(issued.rows).toEqual([{ cause: 'FORCED' }]);
    const inbox = await suite.db.query(`SELECT consumer FROM reconciliation.inbox WHERE event_id = $1`, [command.eventId]);
    expect(inbox.rows).toEqual([{ consumer: 'reconciliation.incident-reported' }]);
  });

  it('a supervisor alone may force a re-issue; it goes through the exactly-once path and lands in the timeline', async () => {
    const { id, order } = await escalated('force', 'amount');
    expect((await call('intake', 'POST', `/v1/incidents/${id}/force-reissue`, alice, { reason: 'goodwill' })).status).toBe(403);
    expect((await call('intake', 'POST', `/v1/incidents/${id}/force-reissue`, sam, { reason: 'buyer paid 5.99 of 6.00; goodwill' })).status).toBe(202);
    expect((await call('intake', 'POST', `/v1/incidents/${id}/force-reissue`, sam, { reason: 'clicked twice' })).status).toBe(202);
    await waitFor('both force re-issue results in the timeline', async () => {
      const timeline = await call('intake', 'GET', `/v1/incidents/${id}/timeline`, sam);
      const actions = timeline.body!.entries.map((e: { action: string }) => e.action);
      return actions.includes('FORCE_REISSUE_ISSUED') && actions.includes('FORCE_REISSUE_ALREADY_ISSUED') ? actions : undefined;
    });
    const { rows } = await suite.db.query(`SELECT cause FROM reconciliation.issuances WHERE order_number = $1`, [order.orderNumber]);
    expect(rows).toEqual([{ cause: 'FORCED' }]);

    // The supervisor reads the key to the buyer; the reveal is audited and shows in the timeline.
    const reveal = await call('reconciliation', 'POST', '/v1/card-keys/reveal-for-agent', sam, {
      orderNumber: order.orderNumber,
      incidentId: id,
      reason: 'read to the buyer on the phone',
    });
    expect(reveal.status).toBe(200);
    expect(secrets).toContain(reveal.body!.cardKeys[0].secret);
    await waitFor('the reveal in the timeline', async () => {
      const timeline = await call('intake', 'GET', `/v1/incidents/${id}/timeline`, sam);
      return timeline.body!.entries.some((e: { action: string; reason: string }) => e.action === 'REVEAL_REVEALED' && e.reason.includes('sam'));
    });
    const audit = await suite.db.query(
      `SELECT actor_type, action, reason FROM reconciliation.audit_log WHERE action = 'REVEAL_CARD_KEY' AND after->>'incidentId' = $1`,
      [id],
    );
    expect(audit.rows).toEqual([{ actor_type: 'AGENT', action: 'REVEAL_CARD_KEY', reason: 'read to the buyer on the phone' }]);
    expect(suite.logs().join('\n')).not.toContain(reveal.body!.cardKeys[0].secret);
  });

  it('the queue filters and names a bad parameter', async () => {
    const bad = await call('intake', 'GET', '/v1/incidents?limit=5000&priority=P9', alice);
    expect(bad.status).toBe(400);
    expect(bad.body!.fields.map((f: { field: string }) => f.field).sort()).toEqual(['limit', 'priority']);
    const mine = await call('intake', 'GET', '/v1/incidents?assignee=me&status=IN_PROGRESS,RESOLVED', alice);
    expect(mine.status).toBe(200);
    for (const item of mine.body!.items) expect(item.assigneeId).not.toBeNull();
    const badDates = await call('intake', 'GET', '/v1/incidents?from=2026-13-01&to=2026-11-21T10:00:00', alice);
    expect(badDates.status).toBe(400);
    expect(badDates.body!.fields.map((f: { field: string }) => f.field).sort()).toEqual(['from', 'to']);
    const since = await call('intake', 'GET', `/v1/incidents?from=2020-01-01&to=${encodeURIComponent('2100-01-01T00:00:00+08:00')}`, alice);
    expect(since.status).toBe(200);
  });
});
