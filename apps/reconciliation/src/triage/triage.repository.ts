import { Injectable } from '@nestjs/common';
import type { IncidentReportedV1 } from '@pt/contracts';
import { lockOrder, queryRows, tryLockOrder } from '@pt/database';
import { DataSource, type EntityManager } from 'typeorm';
import type { Evidence, IssuanceFacts } from './evidence.js';

/** The evidence of a decision made without the report (an agent's re-check of an incident triage never saw). */
export type ReportlessEvidence = Omit<Evidence, 'report'> & { report: null };

export interface StoredDecision {
  id: string;
  incidentId: string;
  orderNumber: string;
  outcome: string;
  reasonCode: string;
  explanation: string;
  ruleVersion: string;
  evidence: Evidence | ReportlessEvidence;
  /** The first of issuanceIds, or null (kept for readers from before lines). */
  issuanceId: string | null;
  /** Every issuance the decision made, one per line, lowest line first. */
  issuanceIds: string[];
  decidedAt: string;
  /** The decision's number among the incident's decisions, given by insertDecision (null only on rows of older versions). */
  sequence?: number | null;
}

export interface TriageIncidentRow {
  incidentId: string;
  orderNumber: string;
  report: IncidentReportedV1;
  state: 'PENDING' | 'AWAITING_CLEARING' | 'DONE';
  attempts: number;
  /** Re-checks that failed in a row (reset by any decision). */
  recheckFailures: number;
  firstReportedAt: string;
  correlationId: string;
}

/** Decisions, issuances and the incidents triage keeps re-checking. */
@Injectable()
export class TriageRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Serialises triage of one order across threads and replicas until the transaction ends (the per-order lock of @pt/database). */
  lockOrder(m: EntityManager, orderNumber: string): Promise<void> {
    return lockOrder(m, orderNumber);
  }

  async rememberIncident(m: EntityManager, report: IncidentReportedV1, correlationId: string): Promise<TriageIncidentRow> {
    await m.query(
      `INSERT INTO reconciliation.triage_incidents (incident_id, order_number, report, state, first_reported_at, correlation_id)
       VALUES ($1, $2, $3, 'PENDING', $4, $5) ON CONFLICT (incident_id) DO NOTHING`,
      [report.incidentId, report.orderNumber, JSON.stringify(report), report.reportedAt, correlationId],
    );
    return (await this.findIncident(m, report.incidentId))!;
  }

  async findIncident(m: EntityManager, incidentId: string): Promise<TriageIncidentRow | null> {
    const rows: Record<string, unknown>[] = await m.query(`SELECT * FROM reconciliation.triage_incidents WHERE incident_id = $1`, [incidentId]);
    const r = rows[0];
    if (!r) return null;
    return {
      incidentId: r.incident_id as string,
      orderNumber: r.order_number as string,
      report: r.report as IncidentReportedV1,
      state: r.state as TriageIncidentRow['state'],
      attempts: r.attempts as number,
      recheckFailures: (r.recheck_failures as number | undefined) ?? 0,
      firstReportedAt: new Date(r.first_reported_at as Date).toISOString(),
      correlationId: (r.correlation_id as string | null) ?? (r.incident_id as string),
    };
  }

  async markTriaged(m: EntityManager, incidentId: string, decisionId: string, awaiting: boolean, nextCheckAt: Date | null): Promise<void> {
    await m.query(
      `UPDATE reconciliation.triage_incidents
          SET state = $2, attempts = attempts + 1, next_check_at = $3, last_decision_id = $4, recheck_failures = 0, updated_at = now()
        WHERE incident_id = $1`,
      [incidentId, awaiting ? 'AWAITING_CLEARING' : 'DONE', nextCheckAt, decisionId],
    );
  }

  /**
   * Counts a failed re-check of a claimed incident and pushes its next attempt back.
   * Returns the failures in a row, this one included.
   */
  async recordRecheckFailure(m: EntityManager, incidentId: string, error: string, delayMs: number): Promise<number> {
    const rows: { recheck_failures: number }[] = await queryRows(
      m,
      `UPDATE reconciliation.triage_incidents
          SET recheck_failures = recheck_failures + 1, last_recheck_failed_at = now(), last_recheck_error = $2,
              next_check_at = now() + make_interval(secs => $3::double precision / 1000), updated_at = now()
        WHERE incident_id = $1 RETURNING recheck_failures`,
      [incidentId, error, delayMs],
    );
    return rows[0]?.recheck_failures ?? 0;
  }

  /** Makes waiting incidents of an order due now (a clearing event for it arrived). */
  async makeDueNow(m: EntityManager, orderNumber: string): Promise<number> {
    const rows = await queryRows(
      m,
      `UPDATE reconciliation.triage_incidents SET next_check_at = now()
        WHERE order_number = $1 AND state = 'AWAITING_CLEARING' RETURNING incident_id`,
      [orderNumber],
    );
    return rows.length;
  }

  /** Makes waiting incidents of these orders due now (a statement changed their clearing). */
  async makeDueNowAll(m: EntityManager, orderNumbers: string[]): Promise<number> {
    if (orderNumbers.length === 0) return 0;
    const rows = await queryRows(
      m,
      `UPDATE reconciliation.triage_incidents SET next_check_at = now()
        WHERE order_number = ANY($1::text[]) AND state = 'AWAITING_CLEARING' RETURNING incident_id`,
      [orderNumbers],
    );
    return rows.length;
  }

  /** The order of an incident triage knows of; null when it does not know it. */
  async orderOfIncident(m: EntityManager, incidentId: string): Promise<string | null> {
    const rows: { order_number: string }[] = await m.query(`SELECT order_number FROM reconciliation.triage_incidents WHERE incident_id = $1`, [incidentId]);
    return rows[0]?.order_number ?? null;
  }

  /**
   * Claims one due incident for a re-check, with its order's lock, in the caller's
   * transaction; null when none can be claimed now. Rows another replica holds are
   * skipped. The order's lock is taken before the row (the lock order of every path,
   * see lockOrder in @pt/database): a ledger or clearing event takes the order's lock and
   * then updates the order's waiting rows, so claiming the row first and then waiting for
   * the order would deadlock with it. The candidates are read without locks, oldest due
   * first; an order whose lock another transaction holds is passed over (tried, never
   * waited for), and the row is locked only if it is still due.
   */
  async claimDue(m: EntityManager, candidates = 20): Promise<TriageIncidentRow | null> {
    const due: { incident_id: string; order_number: string }[] = await m.query(
      `SELECT incident_id, order_number FROM reconciliation.triage_incidents
        WHERE state = 'AWAITING_CLEARING' AND next_check_at <= now()
        ORDER BY next_check_at LIMIT $1`,
      [candidates],
    );
    for (const candidate of due) {
      if (!(await tryLockOrder(m, candidate.order_number))) continue;
      const claimed: unknown[] = await m.query(
        `SELECT incident_id FROM reconciliation.triage_incidents
          WHERE incident_id = $1 AND state = 'AWAITING_CLEARING' AND next_check_at <= now()
          FOR UPDATE SKIP LOCKED`,
        [candidate.incident_id],
      );
      if (claimed.length > 0) return this.findIncident(m, candidate.incident_id);
    }
    return null;
  }

  /** The issuances of an order, by line, then cause. */
  async issuancesOf(m: EntityManager, orderNumber: string): Promise<IssuanceFacts[]> {
    const rows: { id: string; line_no: number; cause: string; card_key_id: string }[] = await m.query(
      `SELECT id, line_no, cause, card_key_id FROM reconciliation.issuances WHERE order_number = $1 ORDER BY line_no, cause, issued_at`,
      [orderNumber],
    );
    return rows.map((r) => ({ lineNo: r.line_no, cause: r.cause, issuanceId: r.id, cardKeyId: r.card_key_id }));
  }

  /**
   * Orders of the account re-issued since `since`, other than `orderNumber`: an order of
   * several units counts once, and an order's own earlier lines (a partial issuance) do not
   * count against it.
   */
  async accountReissuesSince(m: EntityManager, accountId: string, since: Date, orderNumber: string): Promise<number> {
    const [row]: { n: number }[] = await m.query(
      `SELECT count(DISTINCT order_number)::int AS n FROM reconciliation.issuances WHERE account_id = $1 AND issued_at >= $2 AND order_number <> $3`,
      [accountId, since, orderNumber],
    );
    return row?.n ?? 0;
  }

  /** The lines of an order that already have an issuance for `cause`. */
  async linesIssuedFor(m: EntityManager, orderNumber: string, cause: string): Promise<number[]> {
    const rows: { line_no: number }[] = await m.query(`SELECT line_no FROM reconciliation.issuances WHERE order_number = $1 AND cause = $2 ORDER BY line_no`, [
      orderNumber,
      cause,
    ]);
    return rows.map((r) => r.line_no);
  }

  /** Inserts the issuance unless one exists for this order line and cause; null when it existed. */
  async insertIssuance(
    m: EntityManager,
    issuance: { id: string; orderNumber: string; lineNo: number; cause: string; cardKeyId: string; incidentId: string; accountId: string },
  ): Promise<string | null> {
    const rows: { id: string }[] = await m.query(
      `INSERT INTO reconciliation.issuances (id, order_number, line_no, cause, card_key_id, incident_id, account_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT ON CONSTRAINT issuances_once_per_line_and_cause DO NOTHING RETURNING id`,
      [issuance.id, issuance.orderNumber, issuance.lineNo, issuance.cause, issuance.cardKeyId, issuance.incidentId, issuance.accountId],
    );
    return rows[0]?.id ?? null;
  }

  /**
   * Records a decision and returns its number among the incident's decisions: one more
   * than any decision of the incident before it (the count too, should a replica of an
   * older version have left one unnumbered). Call it under the order's lock (lockOrder),
   * which serialises the decisions of an incident, so two never get the same number (the
   * unique index would refuse it). Works with or without a triage_incidents row (a
   * report never received has none); when there is one, its decision_seq follows.
   */
  async insertDecision(m: EntityManager, d: StoredDecision): Promise<number> {
    const rows: { sequence: number }[] = await m.query(
      `INSERT INTO reconciliation.decisions
         (id, incident_id, order_number, outcome, reason_code, explanation, rule_version, evidence, issuance_id, issuance_ids, decided_at, sequence)
       SELECT $1,$2,$3,$4,$5,$6,$7,$8,$9,$10::uuid[],$11, greatest(coalesce(max(sequence), 0), count(*)::int) + 1
         FROM reconciliation.decisions WHERE incident_id = $2
       RETURNING sequence`,
      [
        d.id,
        d.incidentId,
        d.orderNumber,
        d.outcome,
        d.reasonCode,
        d.explanation,
        d.ruleVersion,
        JSON.stringify(d.evidence),
        d.issuanceId,
        d.issuanceIds,
        d.decidedAt,
      ],
    );
    const sequence = rows[0].sequence;
    await m.query(`UPDATE reconciliation.triage_incidents SET decision_seq = $2 WHERE incident_id = $1`, [d.incidentId, sequence]);
    return sequence;
  }

  async decisionsOf(incidentId: string): Promise<StoredDecision[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT * FROM reconciliation.decisions WHERE incident_id = $1 ORDER BY sequence, decided_at, id`,
      [incidentId],
    );
    return rows.map((r) => ({
      id: r.id as string,
      incidentId: r.incident_id as string,
      orderNumber: r.order_number as string,
      outcome: r.outcome as string,
      reasonCode: r.reason_code as string,
      explanation: r.explanation as string,
      ruleVersion: r.rule_version as string,
      evidence: r.evidence as Evidence | ReportlessEvidence,
      issuanceId: (r.issuance_id as string | null) ?? null,
      issuanceIds: (r.issuance_ids as string[] | null) ?? [],
      decidedAt: new Date(r.decided_at as Date).toISOString(),
      sequence: (r.sequence as number | null) ?? null,
    }));
  }
}
