import { CARDKEY_REISSUED_TYPE } from '@pt/contracts';

/** Anything that answers SQL the way a pg Pool or Client does. */
export interface Queryable {
  query<R extends Record<string, unknown> = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

/** Where each service keeps its schema; the same database for all three is the usual case. */
export interface InvariantDatabases {
  intake: Queryable;
  reconciliation: Queryable;
  settlement: Queryable;
}

export interface InvariantOptions {
  /** A report may sit in RECEIVED/TRIAGING, or wait for a decision to be applied, this long. */
  settleWindowMs: number;
  /** An outbox row may stay unpublished this long. */
  publishWindowMs: number;
  /** How many offending rows each check quotes. */
  sampleSize: number;
  /**
   * Intake's INCIDENT_STUCK_AFTER_MINUTES, in milliseconds: its stalled sweeper escalates an
   * incident still RECEIVED or TRIAGING this long after its last change.
   */
  stuckAfterMs: number;
}

export const DEFAULT_INVARIANT_OPTIONS: InvariantOptions = { settleWindowMs: 120_000, publishWindowMs: 60_000, sampleSize: 5, stuckAfterMs: 15 * 60_000 };

export interface InvariantCheckResult {
  name: string;
  /** The rule, in one sentence. */
  rule: string;
  violations: number;
  /** Up to `sampleSize` offending rows, described. */
  samples: string[];
}

export interface InvariantReport {
  checkedAt: string;
  ok: boolean;
  totalViolations: number;
  options: InvariantOptions;
  checks: InvariantCheckResult[];
}

const seconds = (ms: number) => `${Math.max(0, Math.round(ms / 1000))} seconds`;

async function tableExists(db: Queryable, qualified: string): Promise<boolean> {
  const { rows } = await db.query<{ present: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS present`, [qualified]);
  return rows[0]?.present === true;
}

/** Counts the rows of a query whose first column (`label`) describes each violation, and quotes a few. */
async function countAndSample(db: Queryable, sql: string, params: unknown[], sampleSize: number): Promise<{ violations: number; samples: string[] }> {
  const { rows } = await db.query<{ label: string; total: string }>(
    `SELECT label, count(*) OVER ()::text AS total FROM (${sql}) v ORDER BY label LIMIT ${Number(sampleSize) || 1}`,
    params,
  );
  return { violations: Number(rows[0]?.total ?? 0), samples: rows.map((r) => r.label) };
}

type Check = (dbs: InvariantDatabases, options: InvariantOptions) => Promise<InvariantCheckResult>;

function sqlCheck(name: string, rule: string, db: keyof InvariantDatabases, sql: (o: InvariantOptions) => { text: string; params: unknown[] }): Check {
  return async (dbs, options) => {
    const { text, params } = sql(options);
    return { name, rule, ...(await countAndSample(dbs[db], text, params, options.sampleSize)) };
  };
}

/** Invariant 2, first half: a report acknowledged with 2xx does not stay in RECEIVED/TRIAGING. */
const reportsSettled = sqlCheck(
  'reports-settled',
  'every acknowledged report reaches a terminal or waiting state (not RECEIVED/TRIAGING past the settle window)',
  'intake',
  (o) => ({
    text: `SELECT ticket_number || ' ' || status || ' since ' || to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS label
             FROM intake.incidents WHERE status IN ('RECEIVED', 'TRIAGING') AND updated_at < now() - $1::interval`,
    params: [seconds(o.settleWindowMs)],
  }),
);

/**
 * Invariant 2, the safety net: whatever happened to the report's events, intake's stalled
 * sweeper escalates an incident left RECEIVED or TRIAGING for the stuck threshold
 * (TRIAGE_STALLED). One still there past the threshold and the settle window was stranded
 * by the sweeper itself (not running, failing, or behind).
 */
const incidentsNotStranded = sqlCheck(
  'incidents-not-stranded',
  "no incident stays RECEIVED or TRIAGING past intake's stuck threshold (INCIDENT_STUCK_AFTER_MINUTES) plus the settle window: the stalled sweeper escalates it by then",
  'intake',
  (o) => ({
    text: `SELECT ticket_number || ' ' || status || ' since ' || to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS label
             FROM intake.incidents WHERE status IN ('RECEIVED', 'TRIAGING') AND updated_at < now() - $1::interval`,
    params: [seconds(o.stuckAfterMs + o.settleWindowMs)],
  }),
);

/**
 * Invariant 2, second half, across intake and reconciliation (which may live in different
 * databases): every incident older than the window has a decision, and intake applied the
 * latest one while the incident is still in triage's hands.
 */
const reportsDecided: Check = async (dbs, options) => {
  const missing: string[] = [];
  const unapplied: string[] = [];
  let missingCount = 0;
  let unappliedCount = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows: incidents } = await dbs.intake.query<{ id: string; ticket_number: string; status: string; decision_id: string | null }>(
      // Reports only: systemic and security incidents are opened already decided, without triage.
      `SELECT id::text, ticket_number, status, decision_id::text FROM intake.incidents
        WHERE id > $1::uuid AND created_at < now() - $2::interval AND incident_type IN ('PAID_NOT_CREDITED', 'CARD_KEY_INVALID')
        ORDER BY id LIMIT 5000`,
      [after, seconds(options.settleWindowMs)],
    );
    if (incidents.length === 0) break;
    after = incidents[incidents.length - 1].id;
    const { rows: latest } = await dbs.reconciliation.query<{ incident_id: string; id: string; settled: boolean }>(
      `SELECT DISTINCT ON (incident_id) incident_id::text, id::text, decided_at < now() - $2::interval AS settled
         FROM reconciliation.decisions WHERE incident_id = ANY($1::uuid[]) ORDER BY incident_id, sequence DESC NULLS LAST, decided_at DESC, id DESC`,
      [incidents.map((i) => i.id), seconds(options.settleWindowMs)],
    );
    const byIncident = new Map(latest.map((d) => [d.incident_id, d]));
    for (const incident of incidents) {
      const decision = byIncident.get(incident.id);
      if (!decision) {
        missingCount += 1;
        if (missing.length < options.sampleSize) missing.push(`${incident.ticket_number} ${incident.status}: no decision in reconciliation`);
      } else if (['RECEIVED', 'TRIAGING', 'AWAITING_CLEARING'].includes(incident.status) && decision.settled && decision.id !== incident.decision_id) {
        unappliedCount += 1;
        if (unapplied.length < options.sampleSize)
          unapplied.push(`${incident.ticket_number} ${incident.status}: shows decision ${incident.decision_id ?? 'none'}, latest is ${decision.id}`);
      }
    }
  }
  return {
    name: 'reports-decided',
    rule: 'every report older than the settle window has a reconciliation decision, and intake shows the latest one while triage still owns the incident',
    violations: missingCount + unappliedCount,
    samples: [...missing, ...unapplied].slice(0, options.sampleSize),
  };
};

/** A report reconciliation received is decided, and a waiting one has a re-check scheduled and not long overdue. */
const waitingRechecked = sqlCheck(
  'waiting-rechecked',
  'every incident reconciliation received is decided, and every waiting one has a re-check that is not overdue past the settle window',
  'reconciliation',
  (o) => ({
    text: `SELECT incident_id::text || ' ' || state || ' next check ' || coalesce(next_check_at::text, 'never') AS label
             FROM reconciliation.triage_incidents
            WHERE state = 'PENDING'
               OR (state = 'AWAITING_CLEARING' AND (next_check_at IS NULL OR next_check_at < now() - $1::interval))`,
    params: [seconds(o.settleWindowMs)],
  }),
);

/** Invariant 1. The unique constraint enforces it; the check proves the constraint is still there and held. */
const issuanceOnce = sqlCheck('issuance-once', 'at most one issuance per order line and cause', 'reconciliation', () => ({
  text: `SELECT order_number || ' line ' || line_no || ' ' || cause || ': ' || count(*) || ' issuances' AS label
             FROM reconciliation.issuances GROUP BY order_number, line_no, cause HAVING count(*) > 1`,
  params: [],
}));

/**
 * Invariant 1, per line: an order of N units is owed N keys. No issuance is for a line
 * outside 1..quantity, and every order a decision closed as REISSUED has delivered (not
 * revoked) keys on as many lines as it has units: never silently fewer.
 */
const linesIssued = sqlCheck(
  'lines-issued',
  'every owed order line has exactly one issuance: issuances are on lines 1..quantity, and an order closed as REISSUED has a delivered key on each of its lines',
  'reconciliation',
  () => ({
    text: `SELECT 'issuance ' || i.id || ' (' || i.order_number || ') on line ' || i.line_no || ' of ' || o.quantity AS label
             FROM reconciliation.issuances i JOIN reconciliation.ledger_orders o ON o.order_number = i.order_number
            WHERE i.line_no < 1 OR i.line_no > o.quantity
           UNION ALL
           SELECT 'order ' || o.order_number || ' REISSUED (decision ' || dec.id || ') but ' || f.filled || ' of ' || o.quantity || ' lines hold a delivered key'
             FROM reconciliation.decisions dec
             JOIN reconciliation.ledger_orders o ON o.order_number = dec.order_number
             CROSS JOIN LATERAL (SELECT count(DISTINCT d.line_no) AS filled FROM reconciliation.ledger_deliveries d
                                  WHERE d.order_number = o.order_number AND d.status = 'DELIVERED') f
            WHERE dec.outcome = 'AUTO_RESOLVED' AND dec.reason_code = 'REISSUED' AND f.filled < o.quantity`,
    params: [],
  }),
);

const cardKeyUsedOnce = sqlCheck(
  'card-key-used-once',
  'a card key is issued and delivered at most once, to the order it was allocated to, and never goes back to stock',
  'reconciliation',
  () => ({
    text: `SELECT 'key ' || card_key_id || ' in ' || count(*) || ' issuances' AS label
             FROM reconciliation.issuances GROUP BY card_key_id HAVING count(*) > 1
           UNION ALL
           SELECT 'key ' || card_key_ref || ' in ' || count(*) || ' re-issue deliveries'
             FROM reconciliation.ledger_deliveries WHERE source = 'REISSUE' GROUP BY card_key_ref HAVING count(*) > 1
           UNION ALL
           SELECT 'key ' || k.id || ' issued to ' || i.order_number || ' but ' || k.status || coalesce(' for ' || k.order_number, '')
             FROM reconciliation.issuances i JOIN reconciliation.card_keys k ON k.id = i.card_key_id
            WHERE k.status = 'AVAILABLE' OR k.order_number IS DISTINCT FROM i.order_number`,
    params: [],
  }),
);

const cardKeyAccounted = sqlCheck(
  'card-key-accounted',
  'every card key taken out of stock (ALLOCATED) has an issuance or a delivery',
  'reconciliation',
  () => ({
    text: `SELECT 'key ' || k.id || ' ALLOCATED to ' || coalesce(k.order_number, '(no order)') AS label
             FROM reconciliation.card_keys k
            WHERE k.status = 'ALLOCATED'
              AND NOT EXISTS (SELECT 1 FROM reconciliation.issuances i WHERE i.card_key_id = k.id)
              AND NOT EXISTS (SELECT 1 FROM reconciliation.ledger_deliveries d WHERE d.card_key_ref = k.id::text)`,
    params: [],
  }),
);

const issuanceRecorded = sqlCheck(
  'issuance-recorded',
  'every issuance has its delivery in the ledger and its cardkey.reissued event in the outbox',
  'reconciliation',
  () => ({
    text: `SELECT 'issuance ' || i.id || ' (' || i.order_number || '): no cardkey.reissued event' AS label
             FROM reconciliation.issuances i
            WHERE NOT EXISTS (SELECT 1 FROM reconciliation.outbox o WHERE o.type = $1 AND o.envelope->'payload'->>'issuanceId' = i.id::text)
           UNION ALL
           SELECT 'issuance ' || i.id || ' (' || i.order_number || '): no delivery'
             FROM reconciliation.issuances i
            WHERE NOT EXISTS (SELECT 1 FROM reconciliation.ledger_deliveries d WHERE d.source = 'REISSUE' AND d.card_key_ref = i.card_key_id::text)`,
    params: [CARDKEY_REISSUED_TYPE],
  }),
);

const outboxPublished: Check = async (dbs, options) => {
  const samples: string[] = [];
  let violations = 0;
  for (const schema of ['intake', 'reconciliation', 'settlement'] as const) {
    const db = dbs[schema];
    if (!(await tableExists(db, `${schema}.outbox`))) continue;
    const found = await countAndSample(
      db,
      `SELECT '${schema} outbox ' || id || ' ' || type || ' since ' || to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS label
         FROM "${schema}".outbox WHERE published_at IS NULL AND created_at < now() - $1::interval`,
      [seconds(options.publishWindowMs)],
      options.sampleSize,
    );
    violations += found.violations;
    samples.push(...found.samples);
  }
  return {
    name: 'outbox-published',
    rule: 'every outbox event is published within the publish window',
    violations,
    samples: samples.slice(0, options.sampleSize),
  };
};

/** Invariant 5: what a person did to an incident is in intake's audit trail; a forced re-issue in reconciliation's. */
const agentChangesAudited: Check = async (dbs, options) => {
  const intake = await countAndSample(
    dbs.intake,
    `SELECT i.ticket_number || ' ' || i.status || ': assignee or resolution without an agent in the audit trail' AS label
       FROM intake.incidents i
      WHERE (i.assignee_id IS NOT NULL OR i.resolution_code IS NOT NULL)
        AND NOT EXISTS (SELECT 1 FROM intake.audit_log a WHERE a.incident_id = i.id AND a.actor_type = 'AGENT')
     UNION ALL
     SELECT i.ticket_number || ' ' || i.status || ': no agent action leading to it in the audit trail'
       FROM intake.incidents i
      WHERE i.status IN ('IN_PROGRESS', 'RESOLVED', 'REJECTED')
        AND NOT EXISTS (SELECT 1 FROM intake.audit_log a WHERE a.incident_id = i.id AND a.actor_type = 'AGENT' AND a.status_after = i.status)`,
    [],
    options.sampleSize,
  );
  const forced = await countAndSample(
    dbs.reconciliation,
    `SELECT 'forced issuance ' || i.id || ' (' || i.order_number || '): no FORCE_REISSUE_ISSUED audit row' AS label
       FROM reconciliation.issuances i
      WHERE i.cause = 'FORCED'
        AND NOT EXISTS (SELECT 1 FROM reconciliation.audit_log a
                         WHERE a.actor_type = 'AGENT' AND a.action = 'FORCE_REISSUE_ISSUED' AND a.after->>'cardKeyId' = i.card_key_id::text)`,
    [],
    options.sampleSize,
  );
  return {
    name: 'agent-changes-audited',
    rule: 'every state change made by a person has its audit row (who, what, before, after)',
    violations: intake.violations + forced.violations,
    samples: [...intake.samples, ...forced.samples].slice(0, options.sampleSize),
  };
};

const auditExplainsStatus = sqlCheck('audit-explains-status', "an incident's status is the one its latest audit row moved it to", 'intake', () => ({
  text: `SELECT i.ticket_number || ' is ' || i.status || ', audit trail ends at ' || coalesce(last.status_after, 'nothing') AS label
             FROM intake.incidents i
             LEFT JOIN LATERAL (
               SELECT a.status_after FROM intake.audit_log a
                WHERE a.incident_id = i.id AND a.status_after IS NOT NULL ORDER BY a.id DESC LIMIT 1) last ON true
            WHERE last.status_after IS DISTINCT FROM i.status`,
  params: [],
}));

/** Every check, in the order they are reported. */
export const INVARIANT_CHECKS: readonly Check[] = [
  reportsSettled,
  incidentsNotStranded,
  reportsDecided,
  waitingRechecked,
  issuanceOnce,
  linesIssued,
  cardKeyUsedOnce,
  cardKeyAccounted,
  issuanceRecorded,
  outboxPublished,
  agentChangesAudited,
  auditExplainsStatus,
];

/**
 * Runs every invariant check against the services' databases and reports the
 * violations of each. Read-only; safe to run against a live system (each check sees one
 * snapshot, and the windows keep work in flight from counting as a violation).
 */
export async function checkInvariants(dbs: InvariantDatabases | Queryable, options: Partial<InvariantOptions> = {}): Promise<InvariantReport> {
  const all: InvariantDatabases = 'query' in dbs ? { intake: dbs, reconciliation: dbs, settlement: dbs } : dbs;
  const settled: InvariantOptions = { ...DEFAULT_INVARIANT_OPTIONS, ...options };
  const checks: InvariantCheckResult[] = [];
  for (const check of INVARIANT_CHECKS) checks.push(await check(all, settled));
  const totalViolations = checks.reduce((sum, c) => sum + c.violations, 0);
  return { checkedAt: new Date().toISOString(), ok: totalViolations === 0, totalViolations, options: settled, checks };
}

/** The report as lines of text: one per check with its count, then the samples of failing ones. */
export function formatInvariantReport(report: InvariantReport, extra: InvariantCheckResult[] = []): string {
  const checks = [...report.checks, ...extra];
  const width = Math.max(...checks.map((c) => c.name.length));
  const lines = checks.map((c) => `${c.violations === 0 ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(width)}  ${String(c.violations).padStart(6)} violation(s)`);
  for (const c of checks.filter((x) => x.violations > 0)) {
    lines.push('', `${c.name}: ${c.rule}`);
    for (const sample of c.samples) lines.push(`  - ${sample}`);
    if (c.violations > c.samples.length) lines.push(`  … and ${c.violations - c.samples.length} more`);
  }
  const total = checks.reduce((sum, c) => sum + c.violations, 0);
  lines.push(
    '',
    total === 0
      ? `invariants hold: ${checks.length} checks, 0 violations`
      : `invariants broken: ${total} violation(s) in ${checks.filter((c) => c.violations > 0).length} of ${checks.length} checks`,
  );
  return lines.join('\n');
}
