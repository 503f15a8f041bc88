import type { Upstream, SimOrder } from '@pt/upstream';
import type pg from 'pg';
import { Prng } from './prng.js';
import { waitFor } from './wait-for.js';

/** The kinds of "paid but not credited" reports the fault tests and the soak send. */
export type Scenario = 'lost-callback' | 'clearing-failed' | 'unknown-order' | 'clearing-then-cleared';

/** What each kind must end as once everything has settled; `issuances` is per unit of the order (one per line). */
export const SCENARIO_OUTCOME: Record<Scenario, { reasonCode: string; issuances: number }> = {
  'lost-callback': { reasonCode: 'REISSUED', issuances: 1 },
  'clearing-failed': { reasonCode: 'CLEARING_FAILED', issuances: 0 },
  'unknown-order': { reasonCode: 'ORDER_NOT_FOUND', issuances: 0 },
  'clearing-then-cleared': { reasonCode: 'REISSUED', issuances: 1 },
};

export const DEFAULT_MIX: Record<Scenario, number> = { 'lost-callback': 40, 'clearing-failed': 20, 'unknown-order': 15, 'clearing-then-cleared': 25 };

export interface PlannedOrder {
  scenario: Scenario;
  order: SimOrder;
  paymentReference: string;
}

export interface PlanOptions {
  /** Goes into order numbers and account ids, to tell runs apart. */
  label: string;
  sku: string;
  rng?: Prng;
  mix?: Record<Scenario, number>;
  merchantId?: string;
  /** Orders are of 1 to this many units (seeded random), each unit owed a card key; 1 when absent. */
  maxQuantity?: number;
}

/** Orders of a mix of kinds, each on an account of its own (so no velocity limit applies). */
export function planOrders(count: number, options: PlanOptions): PlannedOrder[] {
  const rng = options.rng ?? new Prng(Date.now());
  const mix = options.mix ?? DEFAULT_MIX;
  return Array.from({ length: count }, (_, i) => {
    const scenario = rng.weighted(mix);
    const tag = `${options.label}-${i}-${rng.int(0, 0xffffff).toString(16)}`;
    const order: SimOrder = {
      orderNumber: `F-${tag}`,
      accountId: `acct-${tag}`,
      phoneLast4: '4321',
      merchantId: options.merchantId ?? '3f0c1f7e-2b1a-4c1e-9d7a-0a1b2c3d4e5f',
      sku: options.sku,
      quantity: (options.maxQuantity ?? 1) > 1 ? rng.int(1, options.maxQuantity!) : 1,
      amountMinor: String(500 + rng.int(0, 500)),
      currency: 'CNY',
      placedAt: new Date(Date.now() - 30 * 60_000),
    };
    return { scenario, order, paymentReference: `PAY-${order.orderNumber}` };
  });
}

export const owedOrders = (planned: PlannedOrder[]) => planned.filter((p) => SCENARIO_OUTCOME[p.scenario].issuances > 0);

/** The card keys owed orders must end with: one per unit. */
export const owedUnits = (planned: PlannedOrder[]) => owedOrders(planned).reduce((n, p) => n + (p.order.quantity ?? 1), 0);

/** Retries `work` (e.g. a publish while the broker is down) until it succeeds or the deadline passes. */
export async function retrying<T>(description: string, work: () => Promise<T>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${description} kept failing for ${timeoutMs / 1000}s: ${(error as Error).message}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, Math.min(250 * attempt, 2000)));
    }
  }
}

/** What the shop and the bank publish before the buyer complains. */
export async function publishUpstream(up: Upstream, planned: PlannedOrder[], timeoutMs = 120_000): Promise<void> {
  for (const p of planned) {
    const { order, paymentReference } = p;
    if (p.scenario === 'unknown-order') continue;
    await retrying(`publishing the ledger events of ${order.orderNumber}`, () => up.orderPlaced(order), timeoutMs);
    if (p.scenario === 'lost-callback') {
      await retrying('publishing a clearing event', () => up.clearing(order, paymentReference, 'wechat', 'CLEARED', 1), timeoutMs);
    } else {
      await retrying('publishing a clearing event', () => up.clearing(order, paymentReference, 'wechat', 'CLEARING', 1), timeoutMs);
      if (p.scenario === 'clearing-failed') {
        await retrying(
          'publishing a clearing event',
          () => up.clearing(order, paymentReference, 'wechat', 'FAILED', 2, { failureCode: 'INSUFFICIENT_FUNDS' }),
          timeoutMs,
        );
      }
    }
  }
}

/** The bank finally clears the payments that were still clearing when the buyer complained. */
export async function publishLateClearing(up: Upstream, planned: PlannedOrder[], timeoutMs = 120_000): Promise<void> {
  for (const p of planned.filter((x) => x.scenario === 'clearing-then-cleared')) {
    await retrying('publishing a clearing event', () => up.clearing(p.order, p.paymentReference, 'wechat', 'CLEARED', 2), timeoutMs);
  }
}

/** Waits until reconciliation mirrors every known order (so no report about one finds it missing). */
export async function waitForMirrored(db: pg.Pool, planned: PlannedOrder[], timeoutMs = 60_000): Promise<void> {
  const known = planned.filter((p) => p.scenario !== 'unknown-order').map((p) => p.order.orderNumber);
  await waitFor(
    `reconciliation to mirror ${known.length} orders`,
    async () => {
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM reconciliation.ledger_orders WHERE order_number = ANY($1)`, [known]);
      return rows[0].n === known.length;
    },
    { timeoutMs, intervalMs: 250 },
  );
}

export function reportBodyOf(p: PlannedOrder): Record<string, unknown> {
  return {
    orderNumber: p.order.orderNumber,
    accountId: p.order.accountId,
    amountMinor: p.order.amountMinor,
    currency: p.order.currency,
    paidAt: new Date(p.order.placedAt.getTime() + 60_000).toISOString(),
    channel: 'wechat',
    phoneLast4: p.order.phoneLast4,
  };
}

export interface Acknowledged {
  incidentId: string;
  status: number;
  at: number;
}

/**
 * Files reports the way a help-center bot should: each with an Idempotency-Key, and
 * again with the same key after a lost connection or a 5xx, until intake acknowledges it
 * with a 2xx. Only acknowledged reports are promised anything.
 */
export class ReportSender {
  readonly acknowledged = new Map<string, Acknowledged>();
  readonly refused: { orderNumber: string; status: number; body: string }[] = [];
  readonly gaveUp: string[] = [];
  attempts = 0;
  retries = 0;
  /** No attempt starts after this (set by sendAll), so a wedged intake fails a test instead of hanging it. */
  private stopAt = Number.POSITIVE_INFINITY;

  constructor(
    private readonly intakeUrl: () => string,
    /** The channel client key the help-center bot calls with. */
    private readonly channelKey: string,
    private readonly timeoutMs = 120_000,
  ) {}

  async send(p: PlannedOrder): Promise<Acknowledged | null> {
    const deadline = Math.min(Date.now() + this.timeoutMs, this.stopAt);
    const body = JSON.stringify(reportBodyOf(p));
    for (let attempt = 1; Date.now() < deadline; attempt += 1) {
      this.attempts += 1;
      if (attempt > 1) this.retries += 1;
      try {
        const res = await fetch(`${this.intakeUrl()}/v1/incidents`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${this.channelKey}`, 'idempotency-key': `report-${p.order.orderNumber}` },
          body,
          signal: AbortSignal.timeout(15_000),
        });
        const text = await res.text();
        if (res.status >= 200 && res.status < 300) {
          const ack = { incidentId: (JSON.parse(text) as { id: string }).id, status: res.status, at: Date.now() };
          this.acknowledged.set(p.order.orderNumber, ack);
          return ack;
        }
        if (res.status < 500 && res.status !== 408 && res.status !== 429) {
          this.refused.push({ orderNumber: p.order.orderNumber, status: res.status, body: text.slice(0, 300) });
          return null;
        }
      } catch {
        // Connection refused or reset (intake restarting), or a timeout: ask again with the same key.
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** Math.min(attempt, 5), 2000)));
    }
    this.gaveUp.push(p.order.orderNumber);
    return null;
  }

  /** Sends every report, `concurrency` at a time, giving up on what is left after `overallTimeoutMs`. */
  async sendAll(planned: PlannedOrder[], concurrency = 6, overallTimeoutMs = 300_000): Promise<void> {
    this.stopAt = Date.now() + overallTimeoutMs;
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, planned.length) }, async () => {
        while (next < planned.length) {
          const p = planned[next];
          next += 1;
          await this.send(p);
        }
      }),
    );
  }
}

interface IncidentState {
  id: string;
  order_number: string;
  status: string;
  reason_code: string | null;
}

async function incidentStates(db: pg.Pool, ids: string[]): Promise<Map<string, IncidentState>> {
  const { rows } = await db.query<IncidentState>(`SELECT id::text, order_number, status, reason_code FROM intake.incidents WHERE id = ANY($1::uuid[])`, [ids]);
  return new Map(rows.map((r) => [r.id, r]));
}

/** Waits until every acknowledged report has a decision (any), e.g. before the late clearing comes. */
export async function waitForDecided(db: pg.Pool, sender: ReportSender, timeoutMs = 120_000): Promise<void> {
  const ids = [...sender.acknowledged.values()].map((a) => a.incidentId);
  await waitFor(
    `${ids.length} reports to be triaged`,
    async () => {
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM intake.incidents WHERE id = ANY($1::uuid[]) AND reason_code IS NOT NULL`, [ids]);
      return rows[0].n === ids.length || undefined;
    },
    { timeoutMs, intervalMs: 500 },
  ).catch(async (error: Error) => {
    throw new Error(`${error.message}\n${await describeStall(db, ids).catch((e: Error) => `(no diagnosis: ${e.message})`)}`);
  });
}

/**
 * Where undecided reports are stuck, for a wait's failure message: how far each got
 * (intake's outbox, reconciliation's inbox and decision, the way back) and what the
 * services' connections are doing.
 */
export async function describeStall(db: pg.Pool, ids: string[]): Promise<string> {
  const { rows: stages } = await db.query<{ stage: string; n: number }>(
    `WITH pending AS (SELECT id FROM intake.incidents WHERE id = ANY($1::uuid[]) AND reason_code IS NULL)
     SELECT CASE
              WHEN EXISTS (SELECT 1 FROM intake.outbox o WHERE o.envelope->'payload'->>'incidentId' = p.id::text AND o.published_at IS NULL)
                THEN 'report still in intake''s outbox'
              WHEN t.incident_id IS NULL THEN 'report published, not in reconciliation'
              WHEN t.last_decision_id IS NULL THEN 'in reconciliation (' || t.state || '), no decision'
              WHEN EXISTS (SELECT 1 FROM reconciliation.outbox o WHERE o.envelope->'payload'->>'incidentId' = p.id::text AND o.published_at IS NULL)
                THEN 'decided, decision still in reconciliation''s outbox'
              ELSE 'decided and published, not applied by intake'
            END AS stage, count(*)::int AS n
       FROM pending p LEFT JOIN reconciliation.triage_incidents t ON t.incident_id = p.id
      GROUP BY 1 ORDER BY 2 DESC`,
    [ids],
  );
  const { rows: backlog } = await db.query<{ schema: string; n: number; oldest: string | null }>(
    `SELECT 'intake' AS schema, count(*)::int AS n, min(created_at)::text AS oldest FROM intake.outbox WHERE published_at IS NULL
     UNION ALL SELECT 'reconciliation', count(*)::int, min(created_at)::text FROM reconciliation.outbox WHERE published_at IS NULL`,
  );
  const { rows: sessions } = await db.query<Record<string, unknown>>(
    `SELECT application_name AS app, state, wait_event_type || ':' || wait_event AS wait,
            round(extract(epoch FROM now() - xact_start))::int AS xact_s, left(query, 100) AS query
       FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name <> ''
      ORDER BY application_name, xact_start NULLS LAST`,
  );
  return [
    `undecided by stage: ${JSON.stringify(stages)}`,
    `unpublished outbox rows: ${JSON.stringify(backlog)}`,
    `service connections: ${JSON.stringify(sessions)}`,
  ].join('\n');
}

/** Waits until every acknowledged report shows the outcome its kind must end with. */
export async function waitForOutcomes(db: pg.Pool, planned: PlannedOrder[], sender: ReportSender, timeoutMs = 120_000): Promise<void> {
  const expected = new Map(planned.map((p) => [p.order.orderNumber, SCENARIO_OUTCOME[p.scenario].reasonCode]));
  const ids = [...sender.acknowledged.values()].map((a) => a.incidentId);
  let pending = ids.length;
  await waitFor(
    `${ids.length} reports to reach their final outcome`,
    async () => {
      const states = await incidentStates(db, ids);
      pending = 0;
      for (const id of ids) {
        const state = states.get(id);
        if (!state || state.reason_code !== expected.get(state.order_number)) pending += 1;
      }
      return pending === 0 || undefined;
    },
    { timeoutMs, intervalMs: 500 },
  ).catch(async (error: Error) => {
    const states = await incidentStates(db, ids);
    const off = [...states.values()].filter((s) => s.reason_code !== expected.get(s.order_number)).slice(0, 5);
    throw new Error(`${error.message}; ${pending} still pending, e.g. ${JSON.stringify(off)}`);
  });
}

/**
 * What the fault tests promise about a workload, as a list of broken promises (empty
 * when all hold): no acknowledged report lost, every report ends as its kind must, and
 * each owed order got exactly one issuance per unit, on lines 1..quantity (others none).
 */
export async function workloadViolations(db: pg.Pool, planned: PlannedOrder[], sender: ReportSender): Promise<string[]> {
  const problems: string[] = [];
  const acks = [...sender.acknowledged.entries()];
  const states = await incidentStates(
    db,
    acks.map(([, a]) => a.incidentId),
  );
  for (const [orderNumber, ack] of acks) {
    if (!states.has(ack.incidentId))
      problems.push(`report for ${orderNumber} was acknowledged with ${ack.status} (incident ${ack.incidentId}) but is not in intake`);
  }
  const byOrder = new Map(planned.map((p) => [p.order.orderNumber, p]));
  for (const state of states.values()) {
    const p = byOrder.get(state.order_number)!;
    const want = SCENARIO_OUTCOME[p.scenario].reasonCode;
    if (state.reason_code !== want) problems.push(`${state.order_number} (${p.scenario}) ended ${state.status}/${state.reason_code}, expected ${want}`);
  }
  const { rows } = await db.query<{ order_number: string; n: number; lines: number }>(
    `SELECT order_number, count(*)::int AS n, count(DISTINCT line_no)::int AS lines FROM reconciliation.issuances WHERE order_number = ANY($1) GROUP BY order_number`,
    [planned.map((p) => p.order.orderNumber)],
  );
  const issued = new Map(rows.map((r) => [r.order_number, r]));
  for (const p of planned) {
    if (!sender.acknowledged.has(p.order.orderNumber)) continue;
    const want = SCENARIO_OUTCOME[p.scenario].issuances * (p.order.quantity ?? 1);
    const got = issued.get(p.order.orderNumber) ?? { n: 0, lines: 0 };
    if (got.n !== want || got.lines !== want) {
      problems.push(`${p.order.orderNumber} (${p.scenario}) has ${got.n} issuance(s) on ${got.lines} line(s), expected ${want}`);
    }
  }
  if (sender.refused.length > 0) problems.push(`intake refused ${sender.refused.length} report(s), e.g. ${JSON.stringify(sender.refused[0])}`);
  if (sender.gaveUp.length > 0) problems.push(`${sender.gaveUp.length} report(s) never got an answer, e.g. ${sender.gaveUp[0]}`);
  return problems;
}
