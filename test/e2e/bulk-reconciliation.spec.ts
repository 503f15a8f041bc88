import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TOPICS } from '@pt/contracts';
import { serviceEntry } from '@pt/dev-stack';
import {
  Upstream,
  getIncident,
  importCardKeys,
  markedSecrets,
  simOrder,
  startSuite,
  waitFor,
  waitForCaughtUp,
  waitForDecision,
  waitForMirror,
  type SimOrder,
  type Suite,
} from '@pt/testing';

/**
 * Bulk reconciliation of a clearing statement against the ledger, end to end: statement
 * uploads and runs over the clearing mirror on reconciliation, incidents opened through
 * intake and triaged, the storm cap, dry runs, reruns and the one-run-at-a-time lock.
 */
describe('bulk reconciliation', () => {
  let suite: Suite;
  let up: Upstream;
  const SKU = 'SKU-BULK';
  const HEADER = 'transaction_id,out_trade_no,trade_state,total_fee,fee_type,success_time\n';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recon-test-'));

  /** An order placed at 10:00 (+08:00) on a statement day, paid a minute later. */
  const orderOn = (day: string, label: string, overrides: Partial<SimOrder> = {}) =>
    simOrder(label, { sku: SKU, placedAt: new Date(`${day}T10:00:00+08:00`), ...overrides });
  const paidAt = (o: SimOrder) => new Date(o.placedAt.getTime() + 60_000);
  const local = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
  const row = (ref: string, o: SimOrder, state = 'SUCCESS', amount = o.amountMinor) => `${ref},${o.orderNumber},${state},${amount},CNY,${local(paidAt(o))}\n`;

  const admin = () => ({ authorization: `Bearer ${suite.adminToken}` });
  const api = (p: string) => `${suite.url('reconciliation')}/v1/reconciliation${p}`;

  async function postStatement(channel: string, date: string, csv: string, extra = '', headers: Record<string, string> = admin()) {
    const res = await fetch(api(`/runs?channel=${channel}&date=${date}${extra}`), {
      method: 'POST',
      headers: { ...headers, 'content-type': 'text/csv' },
      body: csv,
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  }

  async function getJson(p: string) {
    const res = await fetch(api(p), { headers: admin() });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  }

  /** A shop order with a payment and a delivered key: what the statement should simply match. */
  async function paidAndDelivered(o: SimOrder, ref: string) {
    await up.orderPlaced(o);
    await up.paymentRecorded(o, ref, 'wechat');
    await up.delivered(o, `key-${o.orderNumber}`);
  }

  async function ledgerHas(orders: number, payments: number, orderNumbers: string[]) {
    await waitFor(`ledger mirror of ${orderNumbers.length} orders`, async () => {
      const { rows } = await suite.db.query(
        `SELECT (SELECT count(*) FROM reconciliation.ledger_orders WHERE order_number = ANY($1))::int AS o,
                (SELECT count(*) FROM reconciliation.ledger_payments WHERE order_number = ANY($1))::int AS p`,
        [orderNumbers],
      );
      return rows[0].o === orders && rows[0].p === payments;
    });
  }

  /** Everything reconciliation wrote to its outbox is on Kafka, and intake has consumed it. */
  async function intakeCaughtUp() {
    await waitFor('reconciliation outbox published', async () => {
      const { rows } = await suite.db.query(`SELECT count(*)::int AS n FROM reconciliation.outbox WHERE published_at IS NULL`);
      return rows[0].n === 0;
    });
    await waitForCaughtUp(suite, 'intake', [TOPICS.incidentDiscovered]);
  }

  const intakeIncidentsOf = async (orderNumbers: string[]) =>
    (await suite.db.query(`SELECT id, source, incident_type, status FROM intake.incidents WHERE order_number = ANY($1) ORDER BY order_number`, [orderNumbers]))
      .rows;
  const issuancesOf = async (orderNumber: string) =>
    (await suite.db.query(`SELECT id FROM reconciliation.issuances WHERE order_number = $1`, [orderNumber])).rows;

  beforeAll(async () => {
    suite = await startSuite('bulk-recon', ['intake', 'reconciliation'], {
      RECON_INCIDENT_CAP: '3',
      RECON_AMOUNT_TOLERANCE_MINOR: '1',
      RECON_MAX_REJECTED_PERCENT: '20',
    });
    up = new Upstream(suite.publisher);
    expect(
      (
        await importCardKeys(
          suite,
          markedSecrets('bulk', 12).map((secret) => ({ sku: SKU, secret })),
        )
      ).status,
    ).toBe(200);
  });

  afterAll(async () => {
    await suite?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('a statement with every kind of discrepancy', () => {
    const DAY = '2026-11-10';
    const matched = orderOn(DAY, 'matched');
    const withinTolerance = orderOn(DAY, 'tolerance');
    const lostCallback = orderOn(DAY, 'lost');
    const undelivered = orderOn(DAY, 'undelivered');
    const wrongAmount = orderOn(DAY, 'amount');
    const paidTwice = orderOn(DAY, 'twice');
    const unknownToBank = orderOn(DAY, 'unknown');
    const bankFailed = orderOn(DAY, 'failed');
    const ref = (o: SimOrder, n = 1) => `WX-${o.orderNumber}-${n}`;
    let csv: string;
    let run: Record<string, any>;

    beforeAll(async () => {
      for (const o of [matched, withinTolerance, wrongAmount, paidTwice, unknownToBank, bankFailed]) await paidAndDelivered(o, ref(o));
      await up.orderPlaced(lostCallback);
      await up.orderPlaced(undelivered);
      await up.paymentRecorded(undelivered, ref(undelivered), 'wechat');
      const all = [matched, withinTolerance, lostCallback, undelivered, wrongAmount, paidTwice, unknownToBank, bankFailed];
      await ledgerHas(
        8,
        7,
        all.map((o) => o.orderNumber),
      );
      csv =
        HEADER +
        row(ref(matched), matched) + // line 2
        row(ref(withinTolerance), withinTolerance, 'SUCCESS', '601') + // line 3: 1 fen off, within tolerance
        row(ref(lostCallback), lostCallback) + // line 4: MISSING_IN_LEDGER / NO_PAYMENT
        row(ref(undelivered), undelivered) + // line 5: MISSING_IN_LEDGER / NO_DELIVERY
        row(ref(wrongAmount), wrongAmount, 'SUCCESS', '500') + // line 6: AMOUNT_MISMATCH
        row(ref(paidTwice), paidTwice) + // line 7
        row(ref(paidTwice, 2), paidTwice) + // line 8: DUPLICATE
        row(ref(bankFailed), bankFailed, 'PAYERROR') + // line 9: MISSING_IN_STATEMENT / STATEMENT_FAILED
        'WX-BAD,O-BAD,SUCCESS,12.5,CNY,2026-11-10 10:00:00\n'; // line 10: rejected, amount not in fen
      // unknownToBank's payment is not on the statement: MISSING_IN_STATEMENT / NOT_IN_STATEMENT
      const res = await postStatement('wechat', DAY, csv);
      expect(res.status).toBe(201);
      run = res.body;
    });

    it('sorts every payment into its category and reports the rejected row by line', async () => {
      expect(run).toMatchObject({ status: 'SUCCEEDED', channel: 'wechat', periodStart: DAY, source: 'FILE', format: 'wechat-v1', dryRun: false });
      expect(run.progress).toMatchObject({ rowsRead: 9, rowsRejected: 1, rowsLoaded: 8 });
      expect(run.rejections.byReason).toEqual({ BAD_AMOUNT: 1 });
      expect(run.rejections.first).toEqual([{ line: 10, reason: 'BAD_AMOUNT', message: expect.stringContaining('12.5') }]);
      expect(run.summary).toMatchObject({
        statementRows: 8,
        matched: 3,
        byCategory: { MISSING_IN_LEDGER: 2, MISSING_IN_STATEMENT: 2, AMOUNT_MISMATCH: 1, DUPLICATE: 1 },
        byFinding: { NO_PAYMENT: 1, NO_DELIVERY: 1, STATEMENT_FAILED: 1, NOT_IN_STATEMENT: 1, AMOUNT_DIFFERS: 1, SURPLUS_PAYMENT: 1 },
        incidents: { opened: 2, alreadyOpen: 0, systemicIncidentId: null },
      });

      const byOrder = async (category: string) => {
        const page = await getJson(`/runs/${run.id}/discrepancies?category=${category}`);
        expect(page.status).toBe(200);
        return page.body.discrepancies as Record<string, any>[];
      };
      expect((await byOrder('AMOUNT_MISMATCH')).map((d) => [d.orderNumber, d.line, d.statement.amountMinor, d.ledger.amountMinor])).toEqual([
        [wrongAmount.orderNumber, 6, '500', '600'],
      ]);
      expect((await byOrder('DUPLICATE')).map((d) => [d.paymentReference, d.line])).toEqual([[ref(paidTwice, 2), 8]]);
      expect((await byOrder('MISSING_IN_STATEMENT')).map((d) => [d.orderNumber, d.finding]).sort()).toEqual(
        [
          [bankFailed.orderNumber, 'STATEMENT_FAILED'],
          [unknownToBank.orderNumber, 'NOT_IN_STATEMENT'],
        ].sort(),
      );
      const missing = await byOrder('MISSING_IN_LEDGER');
      expect(missing.map((d) => [d.orderNumber, d.finding, d.line, d.action])).toEqual([
        [lostCallback.orderNumber, 'NO_PAYMENT', 4, 'INCIDENT_OPENED'],
        [undelivered.orderNumber, 'NO_DELIVERY', 5, 'INCIDENT_OPENED'],
      ]);

      // Pages follow `seq`.
      const first = await getJson(`/runs/${run.id}/discrepancies?limit=2`);
      expect(first.body.discrepancies).toHaveLength(2);
      const second = await getJson(`/runs/${run.id}/discrepancies?limit=10&after=${first.body.nextAfter}`);
      expect(second.body.discrepancies).toHaveLength(4);
      expect(second.body.nextAfter).toBeNull();
      expect((await getJson(`/runs/${run.id}/discrepancies?category=NOPE`)).status).toBe(400);
    });

    it('opens an incident through intake for money that arrived uncredited, and triage re-issues the key exactly once', async () => {
      const missing = (await getJson(`/runs/${run.id}/discrepancies?category=MISSING_IN_LEDGER`)).body.discrepancies as Record<string, any>[];
      for (const d of missing) {
        const incident = await waitForDecision(suite, d.incidentId, 'REISSUED');
        expect(incident).toMatchObject({
          id: d.incidentId,
          source: 'RECONCILIATION',
          type: 'PAID_NOT_CREDITED',
          status: 'AUTO_RESOLVED',
          orderNumber: d.orderNumber,
        });
        expect(incident.ticketNumber).toMatch(/^PT-\d{8}-\d{6}$/);
        expect(await issuancesOf(d.orderNumber)).toHaveLength(1);
      }
      // The lost callback was repaired in the ledger with the statement's payment.
      const { rows } = await suite.db.query(`SELECT payment_reference, is_correction FROM reconciliation.ledger_payments WHERE order_number = $1`, [
        lostCallback.orderNumber,
      ]);
      expect(rows).toEqual([{ payment_reference: ref(lostCallback), is_correction: true }]);
    });

    it('a rerun of the same statement opens nothing new', async () => {
      await waitForDecision(suite, (await getJson(`/runs/${run.id}/discrepancies?category=MISSING_IN_LEDGER`)).body.discrepancies[0].incidentId, 'REISSUED');
      const rerun = await postStatement('wechat', DAY, csv);
      expect(rerun.status).toBe(201);
      expect(rerun.body.summary.incidents).toMatchObject({ opened: 0, systemicIncidentId: null });
      await intakeCaughtUp();
      expect(await intakeIncidentsOf([lostCallback.orderNumber, undelivered.orderNumber])).toHaveLength(2);
      expect(await issuancesOf(lostCallback.orderNumber)).toHaveLength(1);
      expect(await issuancesOf(undelivered.orderNumber)).toHaveLength(1);
    });

    it('exports the discrepancies as CSV', async () => {
      const res = await fetch(api(`/runs/${run.id}/discrepancies.csv?category=MISSING_IN_LEDGER`), { headers: admin() });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/csv');
      const lines = (await res.text()).trim().split('\n');
      expect(lines[0]).toMatch(/^seq,category,finding,payment_reference,order_number,line,/);
      expect(lines).toHaveLength(3);
      expect(lines[1]).toContain(`MISSING_IN_LEDGER,NO_PAYMENT,${ref(lostCallback)},${lostCallback.orderNumber},4,CLEARED,600,CNY`);
    });
  });

  it('an order with nothing delivered keeps the category of its bigger problem', async () => {
    const DAY = '2026-11-19';
    const twice = orderOn(DAY, 'undelivered-twice');
    const amount = orderOn(DAY, 'undelivered-amount');
    const failed = orderOn(DAY, 'undelivered-failed');
    for (const o of [twice, amount, failed]) {
      await up.orderPlaced(o);
      await up.paymentRecorded(o, `WX-${o.orderNumber}`, 'wechat');
    }
    await ledgerHas(
      3,
      3,
      [twice, amount, failed].map((o) => o.orderNumber),
    );
    const csv =
      HEADER +
      row(`WX-${twice.orderNumber}`, twice) + // line 2: paid, nothing delivered
      row(`WX-${twice.orderNumber}-2`, twice) + // line 3: paid again
      row(`WX-${amount.orderNumber}`, amount, 'SUCCESS', '500') + // line 4: the ledger says 600
      row(`WX-${failed.orderNumber}`, failed, 'PAYERROR'); // line 5: the channel says it failed
    const res = await postStatement('wechat', DAY, csv, '&dryRun=true');
    expect(res.status).toBe(201);
    const found = (await getJson(`/runs/${res.body.id}/discrepancies`)).body.discrepancies as Record<string, any>[];
    expect(found.map((d) => [d.line, d.category, d.finding])).toEqual([
      [2, 'MISSING_IN_LEDGER', 'NO_DELIVERY'],
      [3, 'DUPLICATE', 'SURPLUS_PAYMENT'],
      [4, 'AMOUNT_MISMATCH', 'AMOUNT_DIFFERS'],
      [5, 'MISSING_IN_STATEMENT', 'STATEMENT_FAILED'],
    ]);
    expect(found[2]).toMatchObject({ statement: { amountMinor: '500' }, ledger: { amountMinor: '600' } });
  });

  it('a dry run reports what would happen and changes nothing', async () => {
    const DAY = '2026-11-11';
    const o = orderOn(DAY, 'dry');
    await up.orderPlaced(o);
    await ledgerHas(1, 0, [o.orderNumber]);
    const csv = HEADER + row(`WX-${o.orderNumber}`, o);
    const dry = await postStatement('wechat', DAY, csv, '&dryRun=true');
    expect(dry.status).toBe(201);
    expect(dry.body).toMatchObject({ dryRun: true, summary: { byCategory: { MISSING_IN_LEDGER: 1 }, incidents: { opened: 0, wouldOpen: 1 } } });
    const [d] = (await getJson(`/runs/${dry.body.id}/discrepancies`)).body.discrepancies;
    expect(d).toMatchObject({ orderNumber: o.orderNumber, action: 'WOULD_OPEN_INCIDENT', incidentId: null });
    await intakeCaughtUp();
    expect(await intakeIncidentsOf([o.orderNumber])).toEqual([]);
    const { rows } = await suite.db.query(
      `SELECT (SELECT count(*) FROM reconciliation.clearing_records WHERE order_number = $1)::int AS clearing,
              (SELECT count(*) FROM reconciliation.recon_discoveries WHERE order_number = $1)::int AS discoveries`,
      [o.orderNumber],
    );
    expect(rows[0]).toEqual({ clearing: 0, discoveries: 0 });

    const real = await postStatement('wechat', DAY, csv);
    expect(real.body.summary.incidents).toMatchObject({ opened: 1 });
    const [opened] = (await getJson(`/runs/${real.body.id}/discrepancies`)).body.discrepancies;
    expect(opened.action).toBe('INCIDENT_OPENED');
    await waitForDecision(suite, opened.incidentId, 'REISSUED');
  });

  it('over the incident cap, opens no incident one by one and raises one systemic incident', async () => {
    const DAY = '2026-11-12';
    const orders = ['s1', 's2', 's3', 's4'].map((l) => orderOn(DAY, l));
    for (const o of orders) await up.orderPlaced(o);
    await ledgerHas(
      4,
      0,
      orders.map((o) => o.orderNumber),
    );
    const csv = HEADER + orders.map((o) => row(`WX-${o.orderNumber}`, o)).join('');
    const res = await postStatement('wechat', DAY, csv);
    expect(res.status).toBe(201);
    const systemicId = res.body.summary.incidents.systemicIncidentId as string;
    expect(res.body.summary.incidents).toMatchObject({ opened: 0, cap: 3, heldInSystemicIncident: 4, systemicIncidentId: expect.any(String) });

    const systemic = await getJson(`/systemic-incidents/${systemicId}`);
    expect(systemic.body).toMatchObject({
      id: systemicId,
      runId: res.body.id,
      channel: 'wechat',
      periodStart: DAY,
      status: 'OPEN',
      orderCount: 4,
      cap: 3,
      totalAmountMinor: '2400',
    });
    expect(systemic.body.orders.map((d: Record<string, any>) => d.orderNumber)).toEqual(orders.map((o) => o.orderNumber));
    expect((await getJson(`/systemic-incidents?status=OPEN`)).body.systemicIncidents.map((s: Record<string, any>) => s.id)).toContain(systemicId);

    // The agents see it in intake, escalated, with its own type and reason.
    const incident = await waitFor('systemic incident in intake', async () => {
      const found = await getIncident(suite, systemicId);
      return found.id ? found : undefined;
    });
    expect(incident).toMatchObject({
      type: 'SYSTEMIC_DISCREPANCY',
      source: 'RECONCILIATION',
      status: 'ESCALATED',
      urgent: true,
      decision: { reasonCode: 'RECONCILIATION_STORM' },
    });
    expect(incident.decision.explanation).toContain('more than the cap of 3');

    // None of the orders got an incident of its own, and a rerun raises nothing new.
    const rerun = await postStatement('wechat', DAY, csv);
    expect(rerun.body.summary.incidents).toMatchObject({ opened: 0, systemicIncidentId: systemicId });
    await intakeCaughtUp();
    expect(await intakeIncidentsOf(orders.map((o) => o.orderNumber))).toEqual([]);
    const { rows } = await suite.db.query(`SELECT count(*)::int AS n FROM intake.incidents WHERE incident_type = 'SYSTEMIC_DISCREPANCY'`);
    expect(rows[0].n).toBe(1);
  });

  it('refuses a file that is mostly bad, naming the lines, and reconciles nothing of it', async () => {
    const DAY = '2026-11-13';
    const o = orderOn(DAY, 'refused');
    const csv =
      HEADER + row(`WX-${o.orderNumber}`, o) + 'A,B,SUCCESS,x,CNY,2026-11-13 10:00:00\nC,D,WHAT,1,CNY,2026-11-13 10:00:00\nE,F,SUCCESS,1,CNY,yesterday\n';
    const res = await postStatement('wechat', DAY, csv);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ error: 'STATEMENT_REFUSED', run: { status: 'REFUSED', progress: { rowsRead: 4, rowsRejected: 3 } } });
    expect(res.body.message).toContain('3 of 4 rows (75.0%) were rejected');
    expect(res.body.run.rejections.first.map((r: Record<string, any>) => [r.line, r.reason])).toEqual([
      [3, 'BAD_AMOUNT'],
      [4, 'UNKNOWN_STATUS'],
      [5, 'BAD_TIME'],
    ]);
    expect((await getJson(`/runs/${res.body.run.id}/discrepancies`)).body.discrepancies).toEqual([]);

    const header = await postStatement('wechat', DAY, 'id,order\n1,2\n');
    expect(header.status).toBe(422);
    expect(header.body.message).toContain('line 1: the header has no column "transaction_id"');
  });

  it('runs one run at a time per channel and day, and tells a second request which run is in progress', async () => {
    const DAY = '2026-11-14';
    const o = orderOn(DAY, 'lock');
    await paidAndDelivered(o, `WX-${o.orderNumber}`);
    await ledgerHas(1, 1, [o.orderNumber]);
    const runId = crypto.randomUUID();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const text = new TextEncoder();
    const slowBody = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(text.encode(HEADER));
        await gate;
        controller.enqueue(text.encode(row(`WX-${o.orderNumber}`, o)));
        controller.close();
      },
    });
    const first = fetch(api(`/runs?channel=wechat&date=${DAY}&runId=${runId}`), {
      method: 'POST',
      headers: { ...admin(), 'content-type': 'text/csv' },
      body: slowBody,
      duplex: 'half',
    });
    const running = await waitFor('the first run to be importing', async () => {
      const r = await getJson(`/runs/${runId}`);
      return r.status === 200 && r.body.status === 'RUNNING' ? r.body : undefined;
    });
    expect(running).toMatchObject({ phase: 'IMPORTING', channel: 'wechat' });

    const second = await postStatement('wechat', DAY, HEADER);
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ error: 'RUN_IN_PROGRESS', runId });
    const overMirror = await fetch(api('/runs'), {
      method: 'POST',
      headers: { ...admin(), 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'wechat', from: '2026-11-13', to: DAY }),
    });
    expect(overMirror.status).toBe(409);
    expect(((await overMirror.json()) as Record<string, any>).runId).toBe(runId);
    // Another channel's day is free.
    expect((await postStatement('unionpay', DAY, 'query_id,order_id,txn_amt,currency,status,txn_time\n')).status).toBe(201);

    release();
    const done = await first;
    expect(done.status).toBe(201);
    expect(((await done.json()) as Record<string, any>).summary).toMatchObject({ matched: 1 });
    expect((await postStatement('wechat', DAY, HEADER + row(`WX-${o.orderNumber}`, o))).status).toBe(201);
  });

  it('reconciles what clearing.events.v1 delivered for a day, without a file', async () => {
    const DAY = '2026-11-15';
    const o = orderOn(DAY, 'mirror');
    await up.orderPlaced(o);
    await up.clearing(o, `WX-${o.orderNumber}`, 'wechat', 'CLEARED', 1, { at: paidAt(o) });
    await waitForMirror(suite, o.orderNumber, 1);
    const started = await fetch(api('/runs'), {
      method: 'POST',
      headers: { ...admin(), 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'wechat', from: DAY }),
    });
    expect(started.status).toBe(202);
    const { id } = (await started.json()) as Record<string, any>;
    const run = await waitFor('the mirror run to finish', async () => {
      const r = await getJson(`/runs/${id}`);
      return r.body.status !== 'RUNNING' ? r.body : undefined;
    });
    expect(run).toMatchObject({ status: 'SUCCEEDED', source: 'MIRROR', summary: { statementRows: 1, byFinding: { NO_PAYMENT: 1 }, incidents: { opened: 1 } } });
    const [d] = (await getJson(`/runs/${id}/discrepancies`)).body.discrepancies;
    await waitForDecision(suite, d.incidentId, 'REISSUED');
    expect(await issuancesOf(o.orderNumber)).toHaveLength(1);
  });

  it('names the field of a bad request, and starts nothing', async () => {
    const badDate = await postStatement('wechat', '2026-02-30', HEADER);
    expect(badDate.status).toBe(400);
    expect(badDate.body.fields).toEqual([{ field: 'date', message: expect.stringContaining('calendar date') }]);
    const noFormat = await postStatement('nopay', '2026-11-18', HEADER);
    expect(noFormat.status).toBe(400);
    expect(noFormat.body.fields[0]).toMatchObject({ field: 'channel', message: expect.stringContaining('no statement format') });
    const tooLong = await fetch(api('/runs'), {
      method: 'POST',
      headers: { ...admin(), 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'wechat', from: '2026-10-01', to: '2026-11-15' }),
    });
    expect(tooLong.status).toBe(400);
    expect(((await tooLong.json()) as Record<string, any>).fields[0].field).toBe('to');
    const unknownField = await fetch(api('/runs'), {
      method: 'POST',
      headers: { ...admin(), 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'wechat', from: '2026-11-18', day: 1 }),
    });
    expect(unknownField.status).toBe(400);
    const { rows } = await suite.db.query(
      `SELECT count(*)::int AS n FROM reconciliation.recon_runs WHERE channel = 'nopay' OR period_start IN ('2026-10-01', '2026-11-18')`,
    );
    expect(rows[0].n).toBe(0);
  });

  it('wants the admin token', async () => {
    expect((await postStatement('wechat', '2026-11-17', HEADER, '', {})).status).toBe(401);
    expect((await fetch(api('/runs'))).status).toBe(401);
  });

  it('runs from the command line: plain progress lines off a terminal, the summary, and the exit status', async () => {
    const DAY = '2026-11-16';
    const o = orderOn(DAY, 'cli');
    const good = path.join(dir, 'good.csv');
    fs.writeFileSync(good, HEADER + row(`WX-${o.orderNumber}`, o));
    const cli = (args: string[]) =>
      spawnSync(process.execPath, [serviceEntry('reconciliation', 'recon-cli.js'), ...args], { env: suite.env, encoding: 'utf8' });
    const ok = cli(['run', '--channel', 'wechat', '--date', DAY, '--file', good, '--dry-run']);
    expect(ok.status).toBe(0);
    expect(ok.stderr).toMatch(/run [0-9a-f-]{36} started/);
    expect(ok.stderr).toContain('matching...');
    expect(ok.stdout).toContain('SUCCEEDED');
    expect(ok.stdout).toContain('dry run: nothing was changed');
    expect(ok.stdout).toMatch(/MISSING_IN_LEDGER\s+1/);

    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, `${HEADER}A,B,SUCCESS,x,CNY,2026-11-16 10:00:00\n`);
    const refused = cli(['run', '--channel', 'wechat', '--date', DAY, '--file', bad]);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain('REFUSED');
    expect(refused.stdout).toContain('line 2:');
    expect(cli(['run', '--channel', 'wechat', '--date', '2026-13-01', '--file', good]).status).toBe(2);

    // A mistyped --file used to fall back to a run over the clearing mirror; now it is refused and nothing runs.
    const runsBefore = (await getJson('/runs?channel=wechat&limit=200')).body.runs.length;
    const typo = cli(['run', '--channel', 'wechat', '--date', DAY, '--fiel', good]);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain('unknown option --fiel');
    expect(typo.stderr).toContain('usage: npm run recon');
    expect((await getJson('/runs?channel=wechat&limit=200')).body.runs.length).toBe(runsBefore);
  });
});
