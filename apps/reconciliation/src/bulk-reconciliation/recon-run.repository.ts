import { Injectable } from '@nestjs/common';
import { queryRows } from '@pt/database';
import { DataSource, type EntityManager } from 'typeorm';
import type { StatementStatus } from '../clearing/clearing.service.js';
import type { RejectedRow } from './statement-encoder.js';
import {
  type DiscrepancyCategory,
  type DiscrepancyView,
  type RunPhase,
  type RunStatus,
  type RunSummary,
  type RunView,
  type SystemicIncidentView,
} from './recon-run.view.js';

export interface NewRun {
  id: string;
  channel: string;
  periodStart: string;
  periodEnd: string;
  source: 'FILE' | 'MIRROR';
  format: string | null;
  dryRun: boolean;
  settings: Record<string, unknown>;
  requestedBy: string;
  correlationId: string;
}

export interface RunProgress {
  phase?: RunPhase;
  bytesRead?: number;
  rowsRead?: number;
  rowsRejected?: number;
  rowsLoaded?: number;
  rejectionReasons?: Record<string, number>;
}

/** An order a run would open an incident for. */
export interface IncidentCandidate {
  seq: number;
  finding: string;
  paymentReference: string;
  orderNumber: string;
  accountId: string | null;
  amountMinor: string;
  currency: string;
  paidAt: string;
}

export interface StormFacts {
  orderCount: number;
  orderNumbers: string[];
  totalAmountMinor: string;
  currency: string;
}

// PostgreSQL answers dates as Date (or text), numbers as text or number: never objects of other kinds.
const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? v.toString() : JSON.stringify(v));
const date = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : text(v).slice(0, 10));
const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as Date).toISOString());
const num = (v: unknown) => (v === null || v === undefined ? null : text(v));

function toRunView(r: Record<string, unknown>, samples: RejectedRow[]): RunView {
  return {
    id: r.id as string,
    channel: r.channel as string,
    periodStart: date(r.period_start),
    periodEnd: date(r.period_end),
    source: r.source as RunView['source'],
    format: (r.format as string | null) ?? null,
    dryRun: r.dry_run as boolean,
    status: r.status as RunStatus,
    phase: r.phase as RunPhase,
    progress: {
      bytesRead: Number(r.bytes_read),
      rowsRead: Number(r.rows_read),
      rowsRejected: Number(r.rows_rejected),
      rowsLoaded: Number(r.rows_loaded),
    },
    rejections: { count: Number(r.rows_rejected), byReason: r.rejection_reasons as Record<string, number>, first: samples },
    summary: (r.summary as RunSummary | null) ?? null,
    settings: r.settings as Record<string, unknown>,
    error: (r.error as string | null) ?? null,
    requestedBy: r.requested_by as string,
    startedAt: iso(r.started_at)!,
    updatedAt: iso(r.updated_at)!,
    finishedAt: iso(r.finished_at),
  };
}

function toDiscrepancyView(r: Record<string, unknown>): DiscrepancyView {
  return {
    seq: Number(r.seq),
    category: r.category as DiscrepancyCategory,
    finding: r.finding as string,
    paymentReference: r.payment_reference as string,
    orderNumber: (r.order_number as string | null) ?? null,
    line: r.line_no === null ? null : Number(r.line_no),
    statement:
      r.statement_status === null
        ? null
        : {
            status: r.statement_status as string,
            amountMinor: num(r.statement_amount_minor)!,
            currency: (r.statement_currency as string).trim(),
            at: iso(r.statement_at)!,
          },
    ledger:
      r.ledger_amount_minor === null
        ? null
        : { amountMinor: num(r.ledger_amount_minor)!, currency: (r.ledger_currency as string).trim(), paidAt: iso(r.ledger_paid_at) },
    order:
      r.order_status === null ? null : { accountId: r.account_id as string, status: r.order_status as string, delivered: r.order_delivered as boolean | null },
    action: r.action as string,
    incidentId: (r.incident_id as string | null) ?? null,
  };
}

function toSystemicView(r: Record<string, unknown>): SystemicIncidentView {
  return {
    id: r.id as string,
    runId: r.run_id as string,
    channel: r.channel as string,
    periodStart: date(r.period_start),
    periodEnd: date(r.period_end),
    category: r.category as string,
    status: r.status as string,
    orderCount: r.order_count as number,
    cap: r.cap as number,
    totalAmountMinor: String(r.total_amount_minor),
    currency: (r.currency as string).trim(),
    explanation: r.explanation as string,
    createdAt: iso(r.created_at)!,
  };
}

/** Runs, their rejected rows and discrepancies, what they opened, and systemic incidents. */
@Injectable()
export class ReconRunRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** The running run of the channel whose period overlaps [start, end], if any. */
  async activeRunOverlapping(channel: string, start: string, end: string): Promise<string | null> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM reconciliation.recon_runs
        WHERE channel = $1 AND status = 'RUNNING' AND period_start <= $3 AND period_end >= $2
        ORDER BY started_at LIMIT 1`,
      [channel, start, end],
    );
    return rows[0]?.id ?? null;
  }

  /**
   * Runs still marked RUNNING for days whose locks the caller now holds: their process is
   * gone. Marks them failed and returns their ids.
   */
  async abandonOverlapping(channel: string, start: string, end: string): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      this.dataSource.manager,
      `UPDATE reconciliation.recon_runs
          SET status = 'FAILED', phase = 'DONE', error = 'abandoned: the process running it stopped before it finished',
              finished_at = now(), updated_at = now()
        WHERE channel = $1 AND status = 'RUNNING' AND period_start <= $3 AND period_end >= $2
        RETURNING id`,
      [channel, start, end],
    );
    return rows.map((r) => r.id);
  }

  async insertRun(run: NewRun): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO reconciliation.recon_runs
         (id, channel, period_start, period_end, source, format, dry_run, status, phase, settings, requested_by, correlation_id)
       VALUES ($1,$2,$3,$4,$5,$6,$7,'RUNNING','IMPORTING',$8,$9,$10)`,
      [
        run.id,
        run.channel,
        run.periodStart,
        run.periodEnd,
        run.source,
        run.format,
        run.dryRun,
        JSON.stringify(run.settings),
        run.requestedBy,
        run.correlationId,
      ],
    );
  }

  async runExists(id: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM reconciliation.recon_runs WHERE id = $1`, [id]);
    return rows.length > 0;
  }

  async updateProgress(runId: string, p: RunProgress): Promise<void> {
    await this.dataSource.query(
      `UPDATE reconciliation.recon_runs SET
          phase = COALESCE($2, phase), bytes_read = COALESCE($3, bytes_read), rows_read = COALESCE($4, rows_read),
          rows_rejected = COALESCE($5, rows_rejected), rows_loaded = COALESCE($6, rows_loaded),
          rejection_reasons = COALESCE($7, rejection_reasons), updated_at = now()
        WHERE id = $1 AND status = 'RUNNING'`,
      [
        runId,
        p.phase ?? null,
        p.bytesRead ?? null,
        p.rowsRead ?? null,
        p.rowsRejected ?? null,
        p.rowsLoaded ?? null,
        p.rejectionReasons ? JSON.stringify(p.rejectionReasons) : null,
      ],
    );
  }

  async saveRejectedRows(runId: string, rows: RejectedRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 1000) {
      const chunk = rows.slice(i, i + 1000);
      await this.dataSource.query(
        `INSERT INTO reconciliation.recon_rejected_rows (run_id, line_no, reason, message)
         SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[]) ON CONFLICT DO NOTHING`,
        [runId, chunk.map((r) => r.line), chunk.map((r) => r.reason), chunk.map((r) => r.message)],
      );
    }
  }

  async finishRun(runId: string, status: Exclude<RunStatus, 'RUNNING'>, summary: RunSummary | null, error: string | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE reconciliation.recon_runs SET status = $2, phase = 'DONE', summary = $3, error = $4, finished_at = now(), updated_at = now()
        WHERE id = $1`,
      [runId, status, summary ? JSON.stringify(summary) : null, error],
    );
  }

  async findRun(id: string, firstRejections = 20): Promise<RunView | null> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(`SELECT * FROM reconciliation.recon_runs WHERE id = $1`, [id]);
    if (!rows[0]) return null;
    return toRunView(rows[0], await this.rejectedRows(id, firstRejections, 0));
  }

  async listRuns(filter: { channel?: string; status?: string; limit: number }): Promise<RunView[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT * FROM reconciliation.recon_runs
        WHERE ($1::text IS NULL OR channel = $1) AND ($2::text IS NULL OR status = $2)
        ORDER BY started_at DESC LIMIT $3`,
      [filter.channel ?? null, filter.status ?? null, filter.limit],
    );
    return rows.map((r) => toRunView(r, []));
  }

  /** A successful scheduled (non-dry) run of the channel for exactly this day already exists. */
  async scheduledRunDone(channel: string, day: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM reconciliation.recon_runs
        WHERE channel = $1 AND period_start = $2 AND period_end = $2 AND requested_by = 'SCHEDULE' AND status = 'SUCCEEDED' AND NOT dry_run LIMIT 1`,
      [channel, day],
    );
    return rows.length > 0;
  }

  async rejectedRows(runId: string, limit: number, afterLine: number): Promise<RejectedRow[]> {
    const rows: { line_no: string; reason: string; message: string }[] = await this.dataSource.query(
      `SELECT line_no, reason, message FROM reconciliation.recon_rejected_rows WHERE run_id = $1 AND line_no > $2 ORDER BY line_no LIMIT $3`,
      [runId, afterLine, limit],
    );
    return rows.map((r) => ({ line: Number(r.line_no), reason: r.reason, message: r.message }));
  }

  async discrepancies(runId: string, filter: { category?: DiscrepancyCategory; limit: number; after: number }): Promise<DiscrepancyView[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT * FROM reconciliation.recon_discrepancies
        WHERE run_id = $1 AND ($2::text IS NULL OR category = $2) AND seq > $3
        ORDER BY seq LIMIT $4`,
      [runId, filter.category ?? null, filter.after, filter.limit],
    );
    return rows.map(toDiscrepancyView);
  }

  async discrepancyCounts(runId: string): Promise<{ category: DiscrepancyCategory; finding: string; onStatement: boolean; n: number }[]> {
    const rows: { category: DiscrepancyCategory; finding: string; on_statement: boolean; n: number }[] = await this.dataSource.query(
      `SELECT category, finding, statement_status IS NOT NULL AS on_statement, count(*)::int AS n
         FROM reconciliation.recon_discrepancies WHERE run_id = $1 GROUP BY 1, 2, 3 ORDER BY 1, 2`,
      [runId],
    );
    return rows.map((r) => ({ category: r.category, finding: r.finding, onStatement: r.on_statement, n: r.n }));
  }

  async actionCounts(runId: string): Promise<Record<string, number>> {
    const rows: { action: string; n: number }[] = await this.dataSource.query(
      `SELECT action, count(*)::int AS n FROM reconciliation.recon_discrepancies WHERE run_id = $1 AND action <> 'NONE' GROUP BY 1`,
      [runId],
    );
    return Object.fromEntries(rows.map((r) => [r.action, r.n]));
  }

  // ---- applying a run's findings, inside the caller's transaction ----

  /**
   * Among the discrepancies that owe the buyer something (money arrived, nothing credited;
   * stored as TO_OPEN), marks those an incident already covers: an earlier run's discovery, a report
   * still being triaged, or a card key already re-issued for the order. Returns how many
   * still need one.
   */
  async markIncidentCandidates(m: EntityManager, runId: string): Promise<number> {
    await m.query(
      `UPDATE reconciliation.recon_discrepancies d SET action = 'INCIDENT_EXISTS', incident_id = k.incident_id
         FROM (
           SELECT c.seq, COALESCE(
             (SELECT r.discovery_id FROM reconciliation.recon_discoveries r WHERE r.order_number = c.order_number AND r.incident_type = 'PAID_NOT_CREDITED'),
             (SELECT t.incident_id FROM reconciliation.triage_incidents t
               WHERE t.order_number = c.order_number AND t.state <> 'DONE' AND t.report->>'incidentType' = 'PAID_NOT_CREDITED'
               ORDER BY t.first_reported_at DESC LIMIT 1),
             (SELECT i.incident_id FROM reconciliation.issuances i WHERE i.order_number = c.order_number AND i.cause = 'PAID_NOT_CREDITED' LIMIT 1)
           ) AS incident_id
             FROM reconciliation.recon_discrepancies c
            WHERE c.run_id = $1 AND c.action = 'TO_OPEN'
         ) k
        WHERE d.run_id = $1 AND d.seq = k.seq AND k.incident_id IS NOT NULL`,
      [runId],
    );
    const [row]: { n: number }[] = await m.query(`SELECT count(*)::int AS n FROM reconciliation.recon_discrepancies WHERE run_id = $1 AND action = 'TO_OPEN'`, [
      runId,
    ]);
    return row?.n ?? 0;
  }

  async incidentCandidates(m: EntityManager, runId: string): Promise<IncidentCandidate[]> {
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT seq, finding, payment_reference, order_number, account_id, statement_amount_minor, statement_currency, statement_at
         FROM reconciliation.recon_discrepancies WHERE run_id = $1 AND action = 'TO_OPEN' ORDER BY seq`,
      [runId],
    );
    return rows.map((r) => ({
      seq: Number(r.seq),
      finding: r.finding as string,
      paymentReference: r.payment_reference as string,
      orderNumber: r.order_number as string,
      accountId: (r.account_id as string | null) ?? null,
      amountMinor: String(r.statement_amount_minor),
      currency: (r.statement_currency as string).trim(),
      paidAt: iso(r.statement_at)!,
    }));
  }

  /** Records that a run asked for an incident for this order; false when one was asked for before. */
  async recordDiscovery(m: EntityManager, d: { orderNumber: string; discoveryId: string; runId: string; finding: string }): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `INSERT INTO reconciliation.recon_discoveries (order_number, incident_type, discovery_id, run_id, finding)
       VALUES ($1, 'PAID_NOT_CREDITED', $2, $3, $4) ON CONFLICT DO NOTHING RETURNING discovery_id`,
      [d.orderNumber, d.discoveryId, d.runId, d.finding],
    );
    return rows.length > 0;
  }

  async discoveryOf(m: EntityManager, orderNumber: string): Promise<string | null> {
    const rows: { discovery_id: string }[] = await m.query(
      `SELECT discovery_id FROM reconciliation.recon_discoveries WHERE order_number = $1 AND incident_type = 'PAID_NOT_CREDITED'`,
      [orderNumber],
    );
    return rows[0]?.discovery_id ?? null;
  }

  async setAction(m: EntityManager, runId: string, seq: number, action: string, incidentId: string | null): Promise<void> {
    await m.query(`UPDATE reconciliation.recon_discrepancies SET action = $3, incident_id = $4 WHERE run_id = $1 AND seq = $2`, [
      runId,
      seq,
      action,
      incidentId,
    ]);
  }

  async setPendingActions(m: EntityManager, runId: string, action: string, incidentId: string | null): Promise<void> {
    await m.query(`UPDATE reconciliation.recon_discrepancies SET action = $2, incident_id = $3 WHERE run_id = $1 AND action = 'TO_OPEN'`, [
      runId,
      action,
      incidentId,
    ]);
  }

  /** The orders of a storm: how many, the first few, and the money concerned. */
  async stormFacts(m: EntityManager, runId: string, listed: number): Promise<StormFacts> {
    const [totals]: { n: number; total: string; currencies: string[] }[] = await m.query(
      `SELECT count(DISTINCT order_number)::int AS n, COALESCE(sum(statement_amount_minor), 0)::text AS total,
              array_agg(DISTINCT statement_currency) AS currencies
         FROM reconciliation.recon_discrepancies WHERE run_id = $1 AND action = 'TO_OPEN'`,
      [runId],
    );
    const first: { order_number: string }[] = await m.query(
      `SELECT order_number FROM reconciliation.recon_discrepancies WHERE run_id = $1 AND action = 'TO_OPEN' ORDER BY seq LIMIT $2`,
      [runId, listed],
    );
    const currencies = (totals?.currencies ?? []).filter(Boolean).map((c) => c.trim());
    return {
      orderCount: totals?.n ?? 0,
      orderNumbers: first.map((r) => r.order_number),
      totalAmountMinor: totals?.total ?? '0',
      currency: currencies.length === 1 ? currencies[0] : 'XXX',
    };
  }

  async openSystemicIncident(m: EntityManager, channel: string, start: string, end: string): Promise<string | null> {
    const rows: { id: string }[] = await m.query(
      `SELECT id FROM reconciliation.systemic_incidents
        WHERE channel = $1 AND period_start = $2 AND period_end = $3 AND category = 'MISSING_IN_LEDGER' AND status = 'OPEN'`,
      [channel, start, end],
    );
    return rows[0]?.id ?? null;
  }

  async insertSystemicIncident(
    m: EntityManager,
    s: {
      id: string;
      runId: string;
      channel: string;
      periodStart: string;
      periodEnd: string;
      orderCount: number;
      cap: number;
      totalAmountMinor: string;
      currency: string;
      explanation: string;
    },
  ): Promise<void> {
    await m.query(
      `INSERT INTO reconciliation.systemic_incidents
         (id, run_id, channel, period_start, period_end, category, order_count, cap, total_amount_minor, currency, explanation)
       VALUES ($1,$2,$3,$4,$5,'MISSING_IN_LEDGER',$6,$7,$8,$9,$10)`,
      [s.id, s.runId, s.channel, s.periodStart, s.periodEnd, s.orderCount, s.cap, s.totalAmountMinor, s.currency, s.explanation],
    );
  }

  /**
   * What the statement says about its discrepant payments, for the clearing mirror (where
   * the mirror does not know them or still has them clearing), so that triage sees the
   * money. Matched rows agree with the ledger already and are left out, and so are orders
   * held in a systemic incident. Amounts and times are read as text, to go back in as is.
   */
  async statementStatusesToMirror(m: EntityManager, runId: string): Promise<StatementStatus[]> {
    const rows: Record<string, string | null>[] = await m.query(
      `SELECT payment_reference, order_number, statement_status, statement_amount_minor::text AS amount_minor,
              statement_currency::text AS currency, statement_at::text AS status_at
         FROM reconciliation.recon_discrepancies
        WHERE run_id = $1 AND statement_status IS NOT NULL AND action NOT IN ('IN_SYSTEMIC_INCIDENT')
        ORDER BY seq`,
      [runId],
    );
    return rows.map((r) => ({
      paymentReference: r.payment_reference!,
      orderNumber: r.order_number ?? null,
      status: r.statement_status!,
      amountMinor: r.amount_minor ?? null,
      currency: r.currency ?? null,
      statusAt: r.status_at ?? null,
    }));
  }

  async findSystemicIncident(id: string): Promise<SystemicIncidentView | null> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(`SELECT * FROM reconciliation.systemic_incidents WHERE id = $1`, [id]);
    return rows[0] ? toSystemicView(rows[0]) : null;
  }

  async listSystemicIncidents(filter: { status?: string; limit: number }): Promise<SystemicIncidentView[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT * FROM reconciliation.systemic_incidents WHERE ($1::text IS NULL OR status = $1) ORDER BY created_at DESC LIMIT $2`,
      [filter.status ?? null, filter.limit],
    );
    return rows.map(toSystemicView);
  }

  /** The orders a systemic incident stands for: the discrepancies its run held back, paged by seq. */
  async systemicIncidentOrders(runId: string, limit: number, after: number): Promise<DiscrepancyView[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT * FROM reconciliation.recon_discrepancies WHERE run_id = $1 AND action = 'IN_SYSTEMIC_INCIDENT' AND seq > $2
        ORDER BY seq LIMIT $3`,
      [runId, after, limit],
    );
    return rows.map(toDiscrepancyView);
  }
}
