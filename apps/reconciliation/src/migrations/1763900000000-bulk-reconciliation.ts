import type { MigrationInterface, QueryRunner } from 'typeorm';

export class BulkReconciliation1763900000000 implements MigrationInterface {
  name = 'BulkReconciliation1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reconciliation.recon_runs (
        id uuid PRIMARY KEY,
        channel text NOT NULL,
        period_start date NOT NULL,
        period_end date NOT NULL,
        source text NOT NULL CHECK (source IN ('FILE','MIRROR')),
        format text,
        dry_run boolean NOT NULL,
        status text NOT NULL CHECK (status IN ('RUNNING','SUCCEEDED','FAILED','REFUSED')),
        phase text NOT NULL,
        rows_read bigint NOT NULL DEFAULT 0,
        rows_rejected bigint NOT NULL DEFAULT 0,
        rows_loaded bigint NOT NULL DEFAULT 0,
        bytes_read bigint NOT NULL DEFAULT 0,
        rejection_reasons jsonb NOT NULL DEFAULT '{}',
        summary jsonb,
        settings jsonb NOT NULL,
        error text,
        requested_by text NOT NULL,
        correlation_id text NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        CHECK (period_end >= period_start)
      )`);
    // Backstop of the advisory locks: never two active runs for one channel and start date.
    await q.query(`CREATE UNIQUE INDEX recon_runs_one_active ON reconciliation.recon_runs (channel, period_start) WHERE status = 'RUNNING'`);
    await q.query(`CREATE INDEX recon_runs_channel_idx ON reconciliation.recon_runs (channel, period_start DESC, started_at DESC)`);
    // Rows of a run: written in bulk, never deleted; no foreign key, whose per-row check
    // would cost more than the rest of writing a storm of discrepancies.
    await q.query(`
      CREATE TABLE reconciliation.recon_rejected_rows (
        run_id uuid NOT NULL,
        line_no bigint NOT NULL,
        reason text NOT NULL,
        message text NOT NULL,
        PRIMARY KEY (run_id, line_no)
      )`);
    await q.query(`
      CREATE TABLE reconciliation.recon_discrepancies (
        run_id uuid NOT NULL,
        seq bigint NOT NULL,
        category text NOT NULL CHECK (category IN ('MISSING_IN_LEDGER','MISSING_IN_STATEMENT','AMOUNT_MISMATCH','DUPLICATE')),
        finding text NOT NULL,
        payment_reference text NOT NULL,
        order_number text,
        line_no bigint,
        statement_status text,
        statement_amount_minor bigint,
        statement_currency char(3),
        statement_at timestamptz,
        ledger_amount_minor bigint,
        ledger_currency char(3),
        ledger_paid_at timestamptz,
        account_id text,
        order_status text,
        order_delivered boolean,
        action text NOT NULL DEFAULT 'NONE',
        incident_id uuid,
        PRIMARY KEY (run_id, seq)
      )`);
    await q.query(`CREATE INDEX recon_discrepancies_category_idx ON reconciliation.recon_discrepancies (run_id, category, seq)`);
    // Orders a run asked intake to open an incident for: a later run never asks again.
    await q.query(`
      CREATE TABLE reconciliation.recon_discoveries (
        order_number text NOT NULL,
        incident_type text NOT NULL,
        discovery_id uuid NOT NULL UNIQUE,
        run_id uuid NOT NULL,
        finding text NOT NULL,
        discovered_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (order_number, incident_type)
      )`);
    await q.query(`
      CREATE TABLE reconciliation.systemic_incidents (
        id uuid PRIMARY KEY,
        run_id uuid NOT NULL REFERENCES reconciliation.recon_runs (id),
        channel text NOT NULL,
        period_start date NOT NULL,
        period_end date NOT NULL,
        category text NOT NULL,
        status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN','CLOSED')),
        order_count int NOT NULL,
        cap int NOT NULL,
        total_amount_minor bigint NOT NULL,
        currency char(3) NOT NULL,
        explanation text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE UNIQUE INDEX systemic_incidents_one_open ON reconciliation.systemic_incidents (channel, period_start, period_end, category)
      WHERE status = 'OPEN'`);
    // The ledger side of a run: a channel's payments within the statement period.
    await q.query(`CREATE INDEX ledger_payments_channel_paid_idx ON reconciliation.ledger_payments (channel, paid_at)`);
    await q.query(`CREATE INDEX clearing_records_channel_status_at_idx ON reconciliation.clearing_records (channel, status_at)`);
    // Cleared payments around a statement's days, on any channel: duplicate payments of its orders.
    await q.query(`CREATE INDEX clearing_records_cleared_at_idx ON reconciliation.clearing_records (status_at) WHERE status = 'CLEARED'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX reconciliation.clearing_records_cleared_at_idx`);
    await q.query(`DROP INDEX reconciliation.clearing_records_channel_status_at_idx`);
    await q.query(`DROP INDEX reconciliation.ledger_payments_channel_paid_idx`);
    for (const table of ['systemic_incidents', 'recon_discoveries', 'recon_discrepancies', 'recon_rejected_rows', 'recon_runs']) {
      await q.query(`DROP TABLE reconciliation.${table}`);
    }
  }
}
