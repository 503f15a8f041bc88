import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * Orders whose delivered (not revoked) keys fill as many lines as the order has units: an
 * order of N units is delivered once N lines hold a key (re-issues record their delivery
 * too). An order the ledger does not know counts as one unit.
 */
const FULLY_DELIVERED_ORDERS = `SELECT d.order_number FROM reconciliation.ledger_deliveries d
  LEFT JOIN reconciliation.ledger_orders o ON o.order_number = d.order_number
  WHERE d.status = 'DELIVERED'
  GROUP BY d.order_number, o.quantity HAVING count(DISTINCT d.line_no) >= COALESCE(o.quantity, 1)`;

/** Whether the order of `orderNumber` (an SQL expression) is fully delivered, as FULLY_DELIVERED_ORDERS, for a few rows. */
const fullyDelivered = (orderNumber: string) =>
  `((SELECT count(DISTINCT d.line_no) FROM reconciliation.ledger_deliveries d WHERE d.order_number = ${orderNumber} AND d.status = 'DELIVERED')
    >= COALESCE((SELECT o.quantity FROM reconciliation.ledger_orders o WHERE o.order_number = ${orderNumber}), 1))`;
import type { Writable } from 'node:stream';

/** The UTC instants a run's statement days cover: [from, to). */
export interface RunWindow {
  from: Date;
  to: Date;
}

/** A staged row (or a cleared payment the clearing mirror knows) as repeat analysis needs it. */
export interface StagedRow {
  line: number | null;
  paymentReference: string;
  orderNumber: string;
  status: string;
  statusAt: number;
  /** False for a payment the mirror knows that the statement does not list. */
  staged: boolean;
}

const DAY_ZERO = Date.UTC(2000, 0, 1);

const STAGE_TABLE = (stage: string) => `
  CREATE UNLOGGED TABLE ${stage} (
    line_no bigint,
    payment_reference text NOT NULL,
    order_number text NOT NULL,
    amount_minor bigint NOT NULL,
    currency text NOT NULL,
    status text NOT NULL,
    -- As written (always with its offset), read as timestamptz only for the few rows that
    -- need it: parsing it for every row would cost a third of the COPY.
    status_at text NOT NULL
  ) WITH (autovacuum_enabled = false)`;

function dayNumber(date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - DAY_ZERO) / 86_400_000);
}

/**
 * One run's own database connection: it holds the run's advisory locks for as long as
 * it is open (a crashed process drops the connection and with it the locks), streams the
 * statement in with COPY, and runs the set-based matching on the run's staging table.
 */
export class ReconSession {
  private lockChannel = '';
  private readonly lockedDays: number[] = [];

  private constructor(private readonly client: pg.Client) {}

  static async open(url: string): Promise<ReconSession> {
    const client = new pg.Client({ connectionString: url, application_name: 'reconciliation-run' });
    await client.connect();
    // The matching hashes a day of payments; give it room to do so in memory.
    await client.query(`SET work_mem = '256MB'`);
    return new ReconSession(client);
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }

  /**
   * Takes the lock of every statement day of the channel in [start, end]; if another
   * connection holds any of them, takes none and answers false.
   */
  async tryLockDays(channel: string, start: string, end: string): Promise<boolean> {
    this.lockChannel = channel;
    for (let day = dayNumber(start); day <= dayNumber(end); day += 1) {
      const { rows } = await this.client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(hashtext('recon-run:' || $1), $2) AS ok`, [channel, day]);
      if (!rows[0].ok) {
        await this.unlockAll();
        return false;
      }
      this.lockedDays.push(day);
    }
    return true;
  }

  async unlockAll(): Promise<void> {
    while (this.lockedDays.length > 0) {
      const day = this.lockedDays.pop()!;
      await this.client.query(`SELECT pg_advisory_unlock(hashtext('recon-run:' || $1), $2)`, [this.lockChannel, day]).catch(() => undefined);
    }
  }

  async createStage(stage: string): Promise<void> {
    await this.client.query(`DROP TABLE IF EXISTS ${stage}`);
    await this.client.query(STAGE_TABLE(stage));
  }

  /**
   * Creates the staging table and opens a COPY into it, in one transaction, so that the
   * rows are written frozen: the matching's scans then find them visible as they are,
   * instead of each first setting hint bits on (and so rewriting) every page. Call
   * `endCopy` once the COPY has ended, or failed.
   */
  async beginCopy(stage: string): Promise<Writable & { rowCount: number }> {
    await this.client.query('BEGIN');
    try {
      await this.createStage(stage);
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    return this.client.query(
      copyFrom(`COPY ${stage} (line_no, payment_reference, order_number, amount_minor, currency, status, status_at) FROM STDIN WITH (FREEZE)`),
    );
  }

  async endCopy(succeeded: boolean): Promise<void> {
    await this.client.query(succeeded ? 'COMMIT' : 'ROLLBACK');
  }

  async dropStage(stage: string): Promise<void> {
    await this.client.query(`DROP TABLE IF EXISTS ${stage}`);
  }

  /** Loads what clearing.events.v1 delivered for the channel within the window. */
  async loadFromMirror(stage: string, channel: string, window: RunWindow): Promise<number> {
    const result = await this.client.query(
      `INSERT INTO ${stage} (line_no, payment_reference, order_number, amount_minor, currency, status, status_at)
       SELECT NULL, payment_reference, order_number, amount_minor, currency, status, status_at::text
         FROM reconciliation.clearing_records
        WHERE channel = $1 AND status_at >= $2 AND status_at < $3`,
      [channel, window.from, window.to],
    );
    return result.rowCount ?? 0;
  }

  async analyze(stage: string): Promise<void> {
    await this.client.query(`ANALYZE ${stage}`);
  }

  /** Deletes staged rows by line number (repeated payment references). */
  async deleteLines(stage: string, lines: number[]): Promise<void> {
    if (lines.length > 0) await this.client.query(`DELETE FROM ${stage} WHERE line_no = ANY($1::bigint[])`, [lines]);
  }

  /** Orders and payment references with more than one staged row, found by the database. */
  async repeatedKeys(stage: string): Promise<{ orderNumbers: string[]; paymentReferences: string[] }> {
    const { rows } = await this.client.query<{ kind: string; key: string }>(
      `SELECT 'O' AS kind, order_number AS key FROM ${stage} GROUP BY order_number HAVING count(*) > 1
       UNION ALL
       SELECT 'R', payment_reference FROM ${stage} GROUP BY payment_reference HAVING count(*) > 1`,
    );
    return { orderNumbers: rows.filter((r) => r.kind === 'O').map((r) => r.key), paymentReferences: rows.filter((r) => r.kind === 'R').map((r) => r.key) };
  }

  /** The staged rows of these orders or payment references. */
  async stagedRowsOf(stage: string, orderNumbers: string[], paymentReferences: string[]): Promise<StagedRow[]> {
    if (orderNumbers.length === 0 && paymentReferences.length === 0) return [];
    const { rows } = await this.client.query<{ line_no: string | null; payment_reference: string; order_number: string; status: string; status_at: Date }>(
      `SELECT line_no, payment_reference, order_number, status, status_at::timestamptz AS status_at FROM ${stage}
        WHERE order_number = ANY($1::text[]) OR payment_reference = ANY($2::text[])`,
      [orderNumbers, paymentReferences],
    );
    return rows.map((r) => ({
      line: r.line_no === null ? null : Number(r.line_no),
      paymentReference: r.payment_reference,
      orderNumber: r.order_number,
      status: r.status,
      statusAt: r.status_at.getTime(),
      staged: true,
    }));
  }

  /**
   * Cleared payments the clearing mirror knows for orders of this statement that the
   * statement does not list (another day, another channel), within a week of its period.
   */
  async clearedElsewhere(stage: string, window: RunWindow): Promise<StagedRow[]> {
    const { rows } = await this.client.query<{ payment_reference: string; order_number: string; status_at: Date }>(
      `SELECT c.payment_reference, c.order_number, c.status_at
         FROM reconciliation.clearing_records c
         JOIN ${stage} s ON s.order_number = c.order_number AND s.status = 'CLEARED'
        WHERE c.status = 'CLEARED' AND c.status_at >= $1::timestamptz - interval '7 days' AND c.status_at < $2::timestamptz + interval '7 days'
        GROUP BY c.payment_reference, c.order_number, c.status_at
       HAVING bool_and(s.payment_reference <> c.payment_reference)`,
      [window.from, window.to],
    );
    return rows.map((r) => ({
      line: null,
      paymentReference: r.payment_reference,
      orderNumber: r.order_number,
      status: 'CLEARED',
      statusAt: r.status_at.getTime(),
      staged: false,
    }));
  }

  /**
   * Matches the staged statement against the channel's ledger payments of the period and
   * its deliveries, and keeps the rows that do not match in `found`. Two parallel joins in
   * one statement, each returning only its few unmatched rows:
   *
   * - a full outer join with the payments. A staged row is, in this order of precedence,
   *     DUPLICATE          a further cleared payment of an order that already has one (`surplus`);
   *     CHECK_LEDGER       no ledger payment in the period: looked up again by reference in `record`;
   *     MISSING_IN_STATEMENT  the channel did not clear it (FAILED, REVERSED, CLEARING) while the ledger recorded it;
   *     AMOUNT_MISMATCH    amount off by more than the tolerance, or another currency;
   *   and a ledger payment of the period that the statement does not list is MISSING_IN_STATEMENT.
   * - an anti-join with the fully delivered orders: staged rows whose order's delivered
   *   keys fill fewer lines than its quantity (nothing, or 1 key of 2), UNDELIVERED. Such a row is MISSING_IN_LEDGER unless the first join found it
   *   otherwise, which `record` settles.
   *
   * The run's session prices the parallel plan for what it returns (a handful of rows),
   * not for the million joined ones, which would otherwise keep the joins on one core;
   * only for this statement, as the other, small, queries are better off without it.
   */
  async matchPeriod(stage: string, found: string, o: { channel: string; window: RunWindow; toleranceMinor: string; surplus: string[] }): Promise<void> {
    await this.client.query(`DROP TABLE IF EXISTS ${found}`);
    await this.client.query('BEGIN');
    try {
      await this.client.query(`SET LOCAL parallel_setup_cost = 0`);
      await this.client.query(`SET LOCAL parallel_tuple_cost = 0`);
      await this.queryInlined(
        `CREATE UNLOGGED TABLE ${found} AS
         SELECT * FROM (
           SELECT s.line_no, COALESCE(s.payment_reference, p.payment_reference) AS payment_reference, COALESCE(s.order_number, p.order_number) AS order_number,
                  s.status, s.amount_minor, s.currency, s.status_at,
                  p.amount_minor AS l_amount, p.currency::text AS l_currency, p.paid_at AS l_paid_at,
                  CASE
                    WHEN s.payment_reference IS NULL THEN 'MISSING_IN_STATEMENT'
                    WHEN s.status = 'CLEARED' AND s.payment_reference = ANY($5) THEN 'DUPLICATE'
                    WHEN p.payment_reference IS NULL THEN 'CHECK_LEDGER'
                    WHEN s.status <> 'CLEARED' THEN 'MISSING_IN_STATEMENT'
                    -- Compared as char(3), as the ledger keeps it: no text copy of its side per row.
                    WHEN s.currency::bpchar <> p.currency OR abs(s.amount_minor - p.amount_minor) > $4 THEN 'AMOUNT_MISMATCH'
                  END AS category
             FROM ${stage} s
             FULL JOIN (SELECT * FROM reconciliation.ledger_payments WHERE channel = $1 AND paid_at >= $2 AND paid_at < $3) p
                    ON p.payment_reference = s.payment_reference
         ) m
         WHERE m.category IS NOT NULL
         UNION ALL
         SELECT s.line_no, s.payment_reference, s.order_number, s.status, s.amount_minor, s.currency, s.status_at, NULL, NULL, NULL, 'UNDELIVERED'
           FROM ${stage} s
          WHERE NOT EXISTS (SELECT 1 FROM (${FULLY_DELIVERED_ORDERS}) full_orders WHERE full_orders.order_number = s.order_number)`,
        // CREATE TABLE AS takes no bind parameters: the values go in as escaped literals.
        [
          this.literal(o.channel),
          `${this.literal(o.window.from.toISOString())}::timestamptz`,
          `${this.literal(o.window.to.toISOString())}::timestamptz`,
          `${BigInt(o.toleranceMinor)}::bigint`,
          `ARRAY[${o.surplus.map((r) => this.literal(r)).join(',')}]::text[]`,
        ],
      );
      await this.client.query('COMMIT');
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /**
   * Stores the run's discrepancies from `found`. A row both joins found keeps what the
   * payments said. Rows without a ledger payment in the period are looked up by reference
   * (the payment may be on another day), and so are undelivered rows, for their payment's
   * facts; for a run over the mirror, a ledger payment any clearing record knows is not
   * missing. Each row is then looked at against its order: cleared money without a
   * ledger payment is NO_ORDER when the ledger does not know the order, AMOUNT_MISMATCH
   * when it differs from the order's amount, NO_PAYMENT otherwise; a refunded order owes
   * nothing (the row matches after all). Rows owed an incident (money arrived, fewer keys
   * delivered than units ordered) are marked TO_OPEN.
   */
  async recordDiscrepancies(runId: string, found: string, toleranceMinor: string, fromMirror: boolean): Promise<void> {
    await this.client.query(
      `INSERT INTO reconciliation.recon_discrepancies
         (run_id, seq, category, finding, payment_reference, order_number, line_no, statement_status, statement_amount_minor, statement_currency,
          statement_at, ledger_amount_minor, ledger_currency, ledger_paid_at, account_id, order_status, order_delivered, action)
       SELECT $1, row_number() OVER (ORDER BY y.status IS NULL, y.line_no, y.l_paid_at, y.payment_reference), y.category, y.finding,
              y.payment_reference, y.order_number, y.line_no, y.status, y.amount_minor, y.currency, y.status_at::timestamptz,
              y.l_amount, y.l_currency, y.l_paid_at, y.account_id, y.order_status, y.delivered,
              CASE WHEN y.category = 'MISSING_IN_LEDGER' AND (y.finding = 'NO_ORDER' OR (NOT y.delivered AND y.order_status IS DISTINCT FROM 'REFUNDED'))
                   THEN 'TO_OPEN' ELSE 'NONE' END
         FROM (
           SELECT z.*,
                  CASE z.category
                    WHEN 'MISSING_IN_STATEMENT' THEN CASE WHEN z.status IS NULL THEN 'NOT_IN_STATEMENT' ELSE 'STATEMENT_' || z.status END
                    WHEN 'DUPLICATE' THEN 'SURPLUS_PAYMENT'
                    WHEN 'AMOUNT_MISMATCH' THEN CASE WHEN z.currency <> z.l_currency THEN 'CURRENCY_DIFFERS' ELSE 'AMOUNT_DIFFERS' END
                    ELSE CASE WHEN z.paid THEN 'NO_DELIVERY' WHEN z.order_status IS NULL THEN 'NO_ORDER' ELSE 'NO_PAYMENT' END
                  END AS finding,
                  CASE WHEN z.category = 'MISSING_IN_LEDGER'
                       THEN NOT z.paid AND ${fullyDelivered('z.order_number')}
                  END AS delivered
             FROM (
               SELECT x.line_no, x.payment_reference, x.order_number, x.status, x.amount_minor, x.currency, x.status_at, x.l_paid_at,
                      x.l_amount IS NOT NULL AS paid, o.account_id, o.status AS order_status,
                      CASE WHEN x.category = 'MISSING_IN_LEDGER' AND x.l_amount IS NULL AND o.order_number IS NOT NULL
                                AND (x.currency <> o.currency OR abs(x.amount_minor - o.amount_minor) > $2::bigint)
                           THEN 'AMOUNT_MISMATCH' ELSE x.category END AS category,
                      COALESCE(x.l_amount, CASE WHEN x.category = 'MISSING_IN_LEDGER' THEN o.amount_minor END) AS l_amount,
                      COALESCE(x.l_currency, CASE WHEN x.category = 'MISSING_IN_LEDGER' THEN o.currency::text END) AS l_currency,
                      x.category = 'MISSING_IN_LEDGER' AND x.l_amount IS NOT NULL AND o.status = 'REFUNDED' AS refunded
                 FROM (
                   SELECT f.line_no, f.payment_reference, f.order_number, f.status, f.amount_minor, f.currency, f.status_at,
                          COALESCE(f.l_amount, p.amount_minor) AS l_amount, COALESCE(f.l_currency, p.currency::text) AS l_currency, COALESCE(f.l_paid_at, p.paid_at) AS l_paid_at,
                          CASE
                            WHEN f.category = 'MISSING_IN_STATEMENT' AND f.status IS NULL AND $3::boolean
                                 AND EXISTS (SELECT 1 FROM reconciliation.clearing_records c WHERE c.payment_reference = f.payment_reference) THEN NULL
                            WHEN f.category NOT IN ('CHECK_LEDGER', 'UNDELIVERED') THEN f.category
                            WHEN p.payment_reference IS NULL THEN CASE WHEN f.status = 'CLEARED' THEN 'MISSING_IN_LEDGER' END
                            WHEN f.status <> 'CLEARED' THEN 'MISSING_IN_STATEMENT'
                            WHEN f.currency <> p.currency OR abs(f.amount_minor - p.amount_minor) > $2::bigint THEN 'AMOUNT_MISMATCH'
                            WHEN f.category = 'UNDELIVERED'
                              OR NOT ${fullyDelivered('f.order_number')} THEN 'MISSING_IN_LEDGER'
                          END AS category
                     -- A row both joins found comes first as the payments saw it.
                     FROM (SELECT DISTINCT ON (payment_reference) * FROM ${found} ORDER BY payment_reference, category = 'UNDELIVERED') f
                     LEFT JOIN reconciliation.ledger_payments p ON f.category IN ('CHECK_LEDGER', 'UNDELIVERED') AND p.payment_reference = f.payment_reference
                 ) x
                 LEFT JOIN reconciliation.ledger_orders o ON o.order_number = x.order_number
                WHERE x.category IS NOT NULL
             ) z
            WHERE NOT z.refunded
         ) y`,
      [runId, toleranceMinor, fromMirror],
    );
    await this.client.query(`DROP TABLE ${found}`);
  }

  private literal(value: string): string {
    return this.client.escapeLiteral(value);
  }

  /** Runs a statement with $n replaced by the given SQL text, in one pass. */
  private async queryInlined(sql: string, values: string[]): Promise<void> {
    await this.client.query(sql.replace(/\$(\d+)/g, (_, n: string) => values[Number(n) - 1]));
  }
}
