import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '@pt/dev-stack';
import { checkInvariants, formatInvariantReport } from '@pt/invariants';
import { createTestDatabase, testPool } from '@pt/testing';
import type pg from 'pg';

const uuid = () => crypto.randomUUID();
const cli = (url: string, args: string[]) =>
  spawnSync(process.execPath, [path.join(projectRoot(), 'dist', 'libs', 'invariants', 'src', 'cli.js'), ...args], {
    env: { ...process.env, DATABASE_URL: url },
    encoding: 'utf8',
  });

async function incident(
  db: pg.Pool,
  status: string,
  extra: { decisionId?: string; assigneeId?: string; resolutionCode?: string; age?: string } = {},
): Promise<string> {
  const id = uuid();
  await db.query(
    `INSERT INTO intake.incidents (id, ticket_number, incident_type, source, status, order_number, account_id, amount_minor, currency, paid_at, channel,
                                   correlation_id, decision_id, assignee_id, resolution_code, created_at, updated_at)
     VALUES ($1, $2, 'PAID_NOT_CREDITED', 'BUYER', $3, $4, 'acct-x', 600, 'CNY', now(), 'wechat', 'corr', $5, $6, $7, now() - $8::interval, now() - $8::interval)`,
    [
      id,
      `PT-TEST-${id.slice(0, 8)}`,
      status,
      `O-${id.slice(0, 8)}`,
      extra.decisionId ?? null,
      extra.assigneeId ?? null,
      extra.resolutionCode ?? null,
      extra.age ?? '1 hour',
    ],
  );
  return id;
}

async function audit(db: pg.Pool, incidentId: string, actorType: string, action: string, statusAfter: string): Promise<void> {
  await db.query(`INSERT INTO intake.audit_log (incident_id, actor_type, actor_id, action, status_after) VALUES ($1, $2, 'someone', $3, $4)`, [
    incidentId,
    actorType,
    action,
    statusAfter,
  ]);
}

async function decision(db: pg.Pool, incidentId: string, age: string): Promise<string> {
  const id = uuid();
  await db.query(
    `INSERT INTO reconciliation.decisions (id, incident_id, order_number, outcome, reason_code, explanation, rule_version, evidence, decided_at)
     VALUES ($1, $2, 'O', 'ESCALATED', 'ORDER_NOT_FOUND', 'test', 'test', '{}', now() - $3::interval)`,
    [id, incidentId, age],
  );
  return id;
}

async function cardKey(db: pg.Pool, status: string, orderNumber: string | null): Promise<string> {
  const id = uuid();
  await db.query(
    `INSERT INTO reconciliation.card_keys (id, sku, ciphertext, iv, auth_tag, key_id, fingerprint, hint, status, order_number)
     VALUES ($1, 'SKU-CHK', '\\x00', '\\x00', '\\x00', 'k1', $2, '****', $3, $4)`,
    [id, `fp-${id}`, status, orderNumber],
  );
  return id;
}

async function issuance(
  db: pg.Pool,
  orderNumber: string,
  cause: string,
  keyId: string,
  withEvent: boolean,
  withDelivery: boolean,
  lineNo = 1,
): Promise<string> {
  const id = uuid();
  await db.query(
    `INSERT INTO reconciliation.issuances (id, order_number, line_no, cause, card_key_id, incident_id, account_id) VALUES ($1, $2, $3, $4, $5, $6, 'acct-x')`,
    [id, orderNumber, lineNo, cause, keyId, uuid()],
  );
  if (withDelivery) {
    await db.query(
      `INSERT INTO reconciliation.ledger_deliveries (id, order_number, card_key_ref, source, status, occurred_at, line_no) VALUES ($1, $2, $3, 'REISSUE', 'DELIVERED', now(), $4)`,
      [uuid(), orderNumber, keyId, lineNo],
    );
  }
  if (withEvent) {
    const eventId = uuid();
    await db.query(
      `INSERT INTO reconciliation.outbox (event_id, topic, message_key, type, envelope, published_at) VALUES ($1, 'cardkey.reissued.v1', $2, 'cardkey.reissued', $3, now())`,
      [eventId, orderNumber, JSON.stringify({ eventId, payload: { issuanceId: id } })],
    );
  }
  return id;
}

/** The checker must see each kind of broken promise: a checker that cannot fail proves nothing. */
describe('invariant checker', () => {
  const databases: { drop: () => Promise<void> }[] = [];
  const pools: pg.Pool[] = [];

  afterAll(async () => {
    for (const p of pools) await p.end();
    for (const d of databases) await d.drop();
  });

  async function freshDatabase(label: string): Promise<{ url: string; db: pg.Pool }> {
    const database = await createTestDatabase(label);
    databases.push(database);
    const db = testPool(database.url);
    pools.push(db);
    return { url: database.url, db };
  }

  it('finds nothing wrong with an empty system, and the command exits 0', async () => {
    const { url, db } = await freshDatabase('inv-clean');
    const report = await checkInvariants(db);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual([
      'reports-settled',
      'incidents-not-stranded',
      'reports-decided',
      'waiting-rechecked',
      'issuance-once',
      'lines-issued',
      'card-key-used-once',
      'card-key-accounted',
      'issuance-recorded',
      'outbox-published',
      'agent-changes-audited',
      'audit-explains-status',
    ]);
    const run = cli(url, []);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('invariants hold: 12 checks, 0 violations');
  });

  it('reports every violation by check, and the command exits 1 with the counts', async () => {
    const { url, db } = await freshDatabase('inv-broken');
    // Without the constraints, the database no longer refuses what the checker must catch.
    await db.query(`ALTER TABLE reconciliation.issuances DROP CONSTRAINT issuances_once_per_line_and_cause, DROP CONSTRAINT issuances_key_used_once`);

    // A report stuck in RECEIVED, never decided.
    const stuck = await incident(db, 'RECEIVED');
    await audit(db, stuck, 'BUYER', 'REPORTED', 'RECEIVED');
    // A waiting incident that missed its latest decision.
    const older = uuid();
    const waiting = await incident(db, 'AWAITING_CLEARING', { decisionId: older });
    await db.query(
      `INSERT INTO reconciliation.decisions (id, incident_id, order_number, outcome, reason_code, explanation, rule_version, evidence, decided_at)
       VALUES ($1, $2, 'O', 'AWAITING_CLEARING', 'AWAITING_CLEARING', 'test', 'test', '{}', now() - interval '50 minutes')`,
      [older, waiting],
    );
    await decision(db, waiting, '40 minutes');
    await audit(db, waiting, 'SYSTEM', 'TRIAGED', 'AWAITING_CLEARING');
    // Resolved by someone the audit trail does not know of.
    const agent = uuid();
    await db.query(`INSERT INTO intake.agents (id, username, display_name, role, password_hash) VALUES ($1, 'ghost', 'Ghost', 'agent', 'x')`, [agent]);
    const resolved = await incident(db, 'RESOLVED', { assigneeId: agent, resolutionCode: 'REISSUED_MANUALLY' });
    await decision(db, resolved, '55 minutes');
    await audit(db, resolved, 'BUYER', 'REPORTED', 'RECEIVED');
    await audit(db, resolved, 'SYSTEM', 'TRIAGED', 'ESCALATED');
    // Reconciliation: one incident never decided, one waiting with no re-check planned.
    await db.query(
      `INSERT INTO reconciliation.triage_incidents (incident_id, order_number, report, state, first_reported_at, next_check_at)
       VALUES ($1, 'O-P', '{}', 'PENDING', now(), NULL), ($2, 'O-W', '{}', 'AWAITING_CLEARING', now(), NULL)`,
      [uuid(), uuid()],
    );
    // Issuances: one order issued twice; a key used twice; a key issued yet back in stock; a forced one with no audit and no event.
    const k1 = await cardKey(db, 'ALLOCATED', 'O-DUP');
    const k2 = await cardKey(db, 'ALLOCATED', 'O-DUP');
    const k3 = await cardKey(db, 'AVAILABLE', null);
    await cardKey(db, 'ALLOCATED', 'O-LOST');
    await issuance(db, 'O-DUP', 'PAID_NOT_CREDITED', k1, true, true);
    await issuance(db, 'O-DUP', 'PAID_NOT_CREDITED', k2, true, true);
    await issuance(db, 'O-DUP', 'FORCED', k1, false, false);
    await issuance(db, 'O-AVAIL', 'PAID_NOT_CREDITED', k3, true, true);
    // Order lines: an order of 3 units closed as REISSUED with keys on lines 1 and 4 only (line 4 does not exist).
    await db.query(
      `INSERT INTO reconciliation.ledger_orders (order_number, account_id, merchant_id, sku, quantity, amount_minor, currency, placed_at)
       VALUES ('O-LINES', 'acct-x', $1, 'SKU-CHK', 3, 1800, 'CNY', now())`,
      [uuid()],
    );
    await issuance(db, 'O-LINES', 'PAID_NOT_CREDITED', await cardKey(db, 'ALLOCATED', 'O-LINES'), true, true, 1);
    await issuance(db, 'O-LINES', 'PAID_NOT_CREDITED', await cardKey(db, 'ALLOCATED', 'O-LINES'), true, true, 4);
    await db.query(
      `INSERT INTO reconciliation.decisions (id, incident_id, order_number, outcome, reason_code, explanation, rule_version, evidence, decided_at)
       VALUES ($1, $2, 'O-LINES', 'AUTO_RESOLVED', 'REISSUED', 'test', 'test', '{}', now())`,
      [uuid(), uuid()],
    );
    // An event intake never published.
    await db.query(
      `INSERT INTO intake.outbox (event_id, topic, message_key, type, envelope, created_at) VALUES ($1, 'incident.reported.v1', 'O', 'incident.reported', '{}', now() - interval '1 hour')`,
      [uuid()],
    );

    const report = await checkInvariants(db, { settleWindowMs: 60_000, publishWindowMs: 60_000 });
    const counts = Object.fromEntries(report.checks.map((c) => [c.name, c.violations]));
    expect(counts).toEqual({
      'reports-settled': 1,
      'incidents-not-stranded': 1,
      'reports-decided': 2,
      'waiting-rechecked': 2,
      'issuance-once': 1,
      'lines-issued': 2,
      'card-key-used-once': 2,
      'card-key-accounted': 1,
      'issuance-recorded': 1,
      'outbox-published': 1,
      'agent-changes-audited': 3,
      'audit-explains-status': 1,
    });
    expect(report.ok).toBe(false);
    expect(formatInvariantReport(report)).toContain('invariants broken: 18 violation(s) in 12 of 12 checks');

    // Within a wide enough window, work in flight is not a violation.
    const lenient = await checkInvariants(db, { settleWindowMs: 3 * 3_600_000, publishWindowMs: 3 * 3_600_000 });
    expect(lenient.checks.find((c) => c.name === 'reports-settled')!.violations).toBe(0);
    expect(lenient.checks.find((c) => c.name === 'incidents-not-stranded')!.violations).toBe(0);
    expect(lenient.checks.find((c) => c.name === 'outbox-published')!.violations).toBe(0);

    const text = cli(url, []);
    expect(text.status).toBe(1);
    expect(text.stdout).toMatch(/FAIL\s+issuance-once\s+1 violation/);
    const json = cli(url, ['--json']);
    expect(json.status).toBe(1);
    const parsed = JSON.parse(json.stdout) as { ok: boolean; totalViolations: number; checks: { name: string; violations: number }[] };
    expect(parsed.ok).toBe(false);
    expect(parsed.totalViolations).toBe(18);
    expect(text.stdout).toMatch(/FAIL\s+lines-issued\s+2 violation/);
    expect(cli(url, ['--bogus']).status).toBe(2);
  });

  it('finds an incident stranded past the stuck threshold plus the settle window, and only that one', async () => {
    const { url, db } = await freshDatabase('inv-stranded');
    // Past 15 minutes plus the window: the stalled sweeper should have escalated it.
    const stranded = await incident(db, 'RECEIVED', { age: '20 minutes' });
    await audit(db, stranded, 'BUYER', 'REPORTED', 'RECEIVED');
    // Late, but still within the threshold: only reports-settled counts it.
    const late = await incident(db, 'TRIAGING', { age: '5 minutes' });
    await audit(db, late, 'BUYER', 'REPORTED', 'TRIAGING');
    await decision(db, stranded, '1 minute');
    await decision(db, late, '1 minute');

    const report = await checkInvariants(db, { settleWindowMs: 60_000, publishWindowMs: 60_000 });
    const check = report.checks.find((c) => c.name === 'incidents-not-stranded')!;
    expect(check.violations).toBe(1);
    expect(check.samples).toEqual([expect.stringMatching(new RegExp(`^PT-TEST-${stranded.slice(0, 8)} RECEIVED since `))]);
    expect(report.checks.find((c) => c.name === 'reports-settled')!.violations).toBe(2);
    // A longer threshold (intake configured so) leaves it alone.
    const patient = await checkInvariants(db, { settleWindowMs: 60_000, publishWindowMs: 60_000, stuckAfterMs: 30 * 60_000 });
    expect(patient.checks.find((c) => c.name === 'incidents-not-stranded')!.violations).toBe(0);

    // The command reads intake's threshold from INCIDENT_STUCK_AFTER_MINUTES.
    const strict = spawnSync(process.execPath, [path.join(projectRoot(), 'dist', 'libs', 'invariants', 'src', 'cli.js'), '--json', '--settle-seconds', '60'], {
      env: { ...process.env, DATABASE_URL: url, INCIDENT_STUCK_AFTER_MINUTES: '2' },
      encoding: 'utf8',
    });
    expect(strict.status).toBe(1);
    const parsed = JSON.parse(strict.stdout) as { checks: { name: string; violations: number }[] };
    expect(parsed.checks.find((c) => c.name === 'incidents-not-stranded')!.violations).toBe(2);
    const bad = spawnSync(process.execPath, [path.join(projectRoot(), 'dist', 'libs', 'invariants', 'src', 'cli.js')], {
      env: { ...process.env, DATABASE_URL: url, INCIDENT_STUCK_AFTER_MINUTES: 'soon' },
      encoding: 'utf8',
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('INCIDENT_STUCK_AFTER_MINUTES');
  });
});
