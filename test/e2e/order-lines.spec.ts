import { INCIDENT_REPORTED_TYPE, TOPICS, type IncidentReportedV1 } from '@pt/contracts';
import {
  Upstream,
  agentToken,
  decisionsOf,
  importCardKeys,
  markedSecrets,
  postReport,
  reportBody,
  simOrder,
  startSuite,
  waitForCaughtUp,
  waitForDecision,
  type SimOrder,
  type Suite,
} from '@pt/testing';

/**
 * Order lines over the real services: an order of N units is owed N card keys, one
 * issuance per line and cause, and never silently fewer.
 */
describe('order lines: an order of N units is owed N card keys', () => {
  let suite: Suite;
  let up: Upstream;

  const lostCallback = async (o: SimOrder) => {
    await up.orderPlaced(o);
    await up.clearing(o, `PAY-${o.orderNumber}`, 'wechat', 'CLEARED', 1);
  };

  const issuancesOf = async (orderNumber: string) =>
    (
      await suite.db.query<{ line_no: number; cause: string; card_key_id: string }>(
        `SELECT line_no, cause, card_key_id FROM reconciliation.issuances WHERE order_number = $1 ORDER BY line_no, cause`,
        [orderNumber],
      )
    ).rows;

  const reveal = async (o: SimOrder) => {
    const res = await fetch(`${suite.url('reconciliation')}/v1/card-keys/reveal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${suite.channelKey}`, 'x-buyer-token': await suite.buyerToken(o.accountId) },
      body: JSON.stringify({ orderNumber: o.orderNumber }),
    });
    return { status: res.status, body: (await res.json()) as { cardKeys: { cardKeyId: string; lineNo: number | null; secret: string }[] } };
  };

  beforeAll(async () => {
    suite = await startSuite('order-lines', ['intake', 'reconciliation']);
    up = new Upstream(suite.publisher);
  });

  afterAll(async () => {
    await suite?.stop();
  });

  it('3 units with a lost callback: 3 keys, one issuance on each of lines 1..3, the reveal returns the 3, a replay issues nothing more', async () => {
    const secrets = markedSecrets('lines3', 3);
    expect(
      (
        await importCardKeys(
          suite,
          secrets.map((secret) => ({ sku: 'SKU-LINES-3', secret })),
        )
      ).body.imported,
    ).toBe(3);
    const o = simOrder('lines3', { sku: 'SKU-LINES-3', quantity: 3, amountMinor: '1800' });
    await lostCallback(o);
    await waitForCaughtUp(suite, 'reconciliation', [TOPICS.ledgerEvents, TOPICS.clearingEvents]);

    const created = await postReport(suite, reportBody(o));
    expect(created.status).toBe(201);
    const triaged = await waitForDecision(suite, created.body.id, 'REISSUED');
    expect(triaged.status).toBe('AUTO_RESOLVED');
    expect(triaged.decision.explanation).toContain('3 card keys (lines 1-3 of 3)');

    const issuances = await issuancesOf(o.orderNumber);
    expect(issuances.map((i) => [i.line_no, i.cause])).toEqual([
      [1, 'PAID_NOT_CREDITED'],
      [2, 'PAID_NOT_CREDITED'],
      [3, 'PAID_NOT_CREDITED'],
    ]);
    const keyIds = issuances.map((i) => i.card_key_id);
    // intake keeps every key (ids only), the first as cardKeyId.
    expect(triaged.decision.cardKeyIds).toEqual(keyIds);
    expect(triaged.decision.cardKeyId).toBe(keyIds[0]);
    // Each re-issue delivery holds its issuance's line.
    const { rows: deliveries } = await suite.db.query(
      `SELECT line_no, card_key_ref FROM reconciliation.ledger_deliveries WHERE order_number = $1 AND status = 'DELIVERED' ORDER BY line_no`,
      [o.orderNumber],
    );
    expect(deliveries).toEqual(keyIds.map((id, i) => ({ line_no: i + 1, card_key_ref: id })));

    // The stored decision explains itself: its lines, and all its issuances.
    const [decision] = await decisionsOf(suite, created.body.id);
    expect(decision.evidence.lines).toEqual({ quantity: 3, covered: [], owed: [1, 2, 3], surplusKeys: 0 });
    const { rows: stored } = await suite.db.query(`SELECT issuance_id, issuance_ids FROM reconciliation.decisions WHERE incident_id = $1`, [created.body.id]);
    expect(stored).toHaveLength(1);
    expect(stored[0].issuance_ids).toHaveLength(3);
    expect(stored[0].issuance_id).toBe(stored[0].issuance_ids[0]);

    // incident.triaged names every key, never a secret.
    const triagedEvents = (await suite.topics.readAll(TOPICS.incidentTriaged)).filter((m) => m.key === o.orderNumber);
    expect(triagedEvents).toHaveLength(1);
    expect(JSON.parse(triagedEvents[0].value).payload).toMatchObject({ cardKeyId: keyIds[0], cardKeyIds: keyIds });
    for (const secret of secrets) expect(triagedEvents[0].value).not.toContain(secret);

    // The buyer reads all three, each with its line.
    const revealed = await reveal(o);
    expect(revealed.status).toBe(200);
    expect(revealed.body.cardKeys.map((k) => [k.lineNo, k.cardKeyId])).toEqual(keyIds.map((id, i) => [i + 1, id]));
    expect(revealed.body.cardKeys.map((k) => k.secret).sort()).toEqual([...secrets].sort());

    // The same report delivered again (same event), and replayed as a new event: nothing more is issued.
    const [reported] = (await suite.topics.readAll(TOPICS.incidentReported)).filter((m) => m.key === o.orderNumber);
    const envelope = JSON.parse(reported.value) as { eventId: string; payload: IncidentReportedV1 };
    await suite.publisher.publish(INCIDENT_REPORTED_TYPE, o.orderNumber, envelope.payload, { eventId: envelope.eventId });
    await suite.publisher.publish(INCIDENT_REPORTED_TYPE, o.orderNumber, envelope.payload, { eventId: crypto.randomUUID() });
    await waitForCaughtUp(suite, 'reconciliation', [TOPICS.incidentReported]);
    expect(await issuancesOf(o.orderNumber)).toHaveLength(3);
    const { rows: decided } = await suite.db.query(`SELECT count(*)::int AS n FROM reconciliation.decisions WHERE incident_id = $1`, [created.body.id]);
    expect(decided[0].n).toBe(1);
  });

  it('the shop delivered 1 of 2 keys: one key is issued, for line 2; the delivery event again changes nothing', async () => {
    expect(
      (
        await importCardKeys(
          suite,
          markedSecrets('lines2', 2).map((secret) => ({ sku: 'SKU-LINES-2', secret })),
        )
      ).body.imported,
    ).toBe(2);
    const o = simOrder('lines2', { sku: 'SKU-LINES-2', quantity: 2, amountMinor: '1200' });
    await up.orderPlaced(o);
    await up.paymentRecorded(o, `PAY-${o.orderNumber}`, 'wechat');
    await up.clearing(o, `PAY-${o.orderNumber}`, 'wechat', 'CLEARED', 1);
    await up.delivered(o, `SHOP-KEY-${o.orderNumber}`);
    await up.delivered(o, `SHOP-KEY-${o.orderNumber}`);
    await waitForCaughtUp(suite, 'reconciliation', [TOPICS.ledgerEvents, TOPICS.clearingEvents]);

    const created = await postReport(suite, reportBody(o));
    const triaged = await waitForDecision(suite, created.body.id, 'REISSUED');
    expect(triaged.decision.explanation).toContain('1 of 2 lines already hold a valid card key (line 1)');
    const issuances = await issuancesOf(o.orderNumber);
    expect(issuances.map((i) => i.line_no)).toEqual([2]);
    expect(triaged.decision.cardKeyIds).toEqual([issuances[0].card_key_id]);
    const { rows: deliveries } = await suite.db.query(
      `SELECT source, line_no FROM reconciliation.ledger_deliveries WHERE order_number = $1 AND status = 'DELIVERED' ORDER BY line_no`,
      [o.orderNumber],
    );
    expect(deliveries).toEqual([
      { source: 'SHOP', line_no: 1 },
      { source: 'REISSUE', line_no: 2 },
    ]);
    const [decision] = await decisionsOf(suite, created.body.id);
    expect(decision.evidence.lines).toMatchObject({ quantity: 2, covered: [1], owed: [2] });
  });

  it('one of two delivered keys unusable: only that line is revoked and replaced', async () => {
    expect(
      (
        await importCardKeys(
          suite,
          markedSecrets('lines-bad', 2).map((secret) => ({ sku: 'SKU-LINES-BAD', secret })),
        )
      ).body.imported,
    ).toBe(2);
    const o = simOrder('lines-bad', { sku: 'SKU-LINES-BAD', quantity: 2, amountMinor: '1200' });
    await up.orderPlaced(o);
    await up.paymentRecorded(o, `PAY-${o.orderNumber}`, 'wechat');
    await up.clearing(o, `PAY-${o.orderNumber}`, 'wechat', 'CLEARED', 1);
    await up.delivered(o, `SHOP-KEY-A-${o.orderNumber}`, 1);
    await up.delivered(o, `SHOP-KEY-B-${o.orderNumber}`, 2);
    await up.keyStatus(o, `SHOP-KEY-B-${o.orderNumber}`, 'REDEEMED', 'acct-thief');
    await waitForCaughtUp(suite, 'reconciliation', [TOPICS.ledgerEvents, TOPICS.clearingEvents]);

    const created = await postReport(suite, reportBody(o, { type: 'CARD_KEY_INVALID' }));
    await waitForDecision(suite, created.body.id, 'REISSUED');
    const issuances = await issuancesOf(o.orderNumber);
    expect(issuances.map((i) => [i.line_no, i.cause])).toEqual([[2, 'REPLACEMENT']]);
    const { rows: deliveries } = await suite.db.query(
      `SELECT card_key_ref, status, line_no FROM reconciliation.ledger_deliveries WHERE order_number = $1 ORDER BY line_no, status`,
      [o.orderNumber],
    );
    expect(deliveries).toEqual([
      { card_key_ref: `SHOP-KEY-A-${o.orderNumber}`, status: 'DELIVERED', line_no: 1 },
      { card_key_ref: issuances[0].card_key_id, status: 'DELIVERED', line_no: 2 },
      { card_key_ref: `SHOP-KEY-B-${o.orderNumber}`, status: 'REVOKED', line_no: 2 },
    ]);
  });

  it('partial stock: 2 of 3 issued and OUT_OF_STOCK naming 1 missing; a re-check once stock is loaded issues the last line only', async () => {
    expect(
      (
        await importCardKeys(
          suite,
          markedSecrets('lines-part', 2).map((secret) => ({ sku: 'SKU-LINES-PART', secret })),
        )
      ).body.imported,
    ).toBe(2);
    const o = simOrder('lines-part', { sku: 'SKU-LINES-PART', quantity: 3, amountMinor: '1800' });
    await lostCallback(o);
    await waitForCaughtUp(suite, 'reconciliation', [TOPICS.ledgerEvents, TOPICS.clearingEvents]);

    const created = await postReport(suite, reportBody(o));
    const escalated = await waitForDecision(suite, created.body.id, 'OUT_OF_STOCK');
    expect(escalated.status).toBe('ESCALATED');
    expect(escalated.decision.explanation).toContain('2 of 3 card keys re-issued; 1 missing (line 3): no stock of SKU SKU-LINES-PART');
    const partial = await issuancesOf(o.orderNumber);
    expect(partial.map((i) => i.line_no)).toEqual([1, 2]);
    expect(escalated.decision.cardKeyIds).toEqual(partial.map((i) => i.card_key_id));

    expect(
      (
        await importCardKeys(
          suite,
          markedSecrets('lines-part-more', 1).map((secret) => ({ sku: 'SKU-LINES-PART', secret })),
        )
      ).body.imported,
    ).toBe(1);
    const token = await agentToken(suite);
    const recheck = await fetch(`${suite.url('intake')}/v1/incidents/${created.body.id}/recheck`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'stock of the SKU was loaded' }),
    });
    expect(recheck.status).toBe(202);
    const resolved = await waitForDecision(suite, created.body.id, 'REISSUED');
    expect(resolved.status).toBe('AUTO_RESOLVED');
    expect(resolved.decision.explanation).toContain('2 of 3 lines already hold a valid card key (lines 1, 2)');

    const all = await issuancesOf(o.orderNumber);
    expect(all.map((i) => i.line_no)).toEqual([1, 2, 3]);
    // The incident holds all three keys; the re-check's decision issued line 3 alone.
    expect(resolved.decision.cardKeyIds).toEqual(all.map((i) => i.card_key_id));
    const decisions = await decisionsOf(suite, created.body.id);
    expect(decisions.map((d) => d.reasonCode)).toEqual(['OUT_OF_STOCK', 'REISSUED']);
    const { rows: stored } = await suite.db.query(
      `SELECT i.line_no FROM reconciliation.decisions d JOIN reconciliation.issuances i ON i.id = ANY(d.issuance_ids)
        WHERE d.incident_id = $1 AND d.reason_code = 'REISSUED'`,
      [created.body.id],
    );
    expect(stored).toEqual([{ line_no: 3 }]);
    // The lost payment was repaired once, by the first decision.
    const { rows: payments } = await suite.db.query(`SELECT count(*)::int AS n FROM reconciliation.ledger_payments WHERE order_number = $1`, [o.orderNumber]);
    expect(payments[0].n).toBe(1);

    // The buyer reads the three keys, lines 1..3.
    const revealed = await reveal(o);
    expect(revealed.body.cardKeys.map((k) => k.lineNo)).toEqual([1, 2, 3]);
  });

  it('bulk reconciliation counts units: an order of 2 with 1 key delivered is not delivered, and its incident gets line 2 only', async () => {
    expect(
      (
        await importCardKeys(
          suite,
          markedSecrets('lines-bulk', 1).map((secret) => ({ sku: 'SKU-LINES-BULK', secret })),
        )
      ).body.imported,
    ).toBe(1);
    const day = '2026-11-12';
    const placedAt = new Date(`${day}T10:00:00+08:00`);
    const half = simOrder('lines-half', { sku: 'SKU-LINES-BULK', quantity: 2, amountMinor: '1200', placedAt });
    const full = simOrder('lines-full', { sku: 'SKU-LINES-BULK', quantity: 2, amountMinor: '1200', placedAt });
    for (const [o, keys] of [
      [half, 1],
      [full, 2],
    ] as const) {
      await up.orderPlaced(o);
      await up.paymentRecorded(o, `WX-${o.orderNumber}`, 'wechat');
      for (let nth = 1; nth <= keys; nth += 1) await up.delivered(o, `SHOP-KEY-${o.orderNumber}-${nth}`, nth);
    }
    await waitForCaughtUp(suite, 'reconciliation', [TOPICS.ledgerEvents]);
    const local = (o: SimOrder) => new Date(o.placedAt.getTime() + 60_000 + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
    const csv =
      'transaction_id,out_trade_no,trade_state,total_fee,fee_type,success_time\n' +
      [half, full].map((o) => `WX-${o.orderNumber},${o.orderNumber},SUCCESS,1200,CNY,${local(o)}\n`).join('');
    const res = await fetch(`${suite.url('reconciliation')}/v1/reconciliation/runs?channel=wechat&date=${day}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${suite.adminToken}`, 'content-type': 'text/csv' },
      body: csv,
    });
    const run = (await res.json()) as Record<string, any>;
    expect(res.status).toBe(201);
    expect(run.summary).toMatchObject({ statementRows: 2, matched: 1, byFinding: { NO_DELIVERY: 1 } });
    const page = (await (
      await fetch(`${suite.url('reconciliation')}/v1/reconciliation/runs/${run.id}/discrepancies?category=MISSING_IN_LEDGER`, {
        headers: { authorization: `Bearer ${suite.adminToken}` },
      })
    ).json()) as { discrepancies: Record<string, any>[] };
    expect(page.discrepancies.map((d) => [d.orderNumber, d.finding, d.action])).toEqual([[half.orderNumber, 'NO_DELIVERY', 'INCIDENT_OPENED']]);

    await waitForDecision(suite, page.discrepancies[0].incidentId, 'REISSUED');
    expect((await issuancesOf(half.orderNumber)).map((i) => i.line_no)).toEqual([2]);
    expect(await issuancesOf(full.orderNumber)).toEqual([]);
  });
});
