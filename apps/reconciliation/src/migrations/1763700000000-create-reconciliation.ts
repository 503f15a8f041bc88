import { messagingTablesDdl } from '@pt/database';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateReconciliation1763700000000 implements MigrationInterface {
  name = 'CreateReconciliation1763700000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of messagingTablesDdl('reconciliation')) await q.query(sql);
    await q.query(`
      CREATE TABLE reconciliation.ledger_orders (
        order_number text PRIMARY KEY,
        account_id text NOT NULL,
        phone_last4_hash text,
        merchant_id uuid NOT NULL,
        sku text NOT NULL,
        quantity int NOT NULL CHECK (quantity > 0),
        amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
        currency char(3) NOT NULL,
        placed_at timestamptz NOT NULL,
        expires_at timestamptz,
        status text NOT NULL DEFAULT 'PLACED' CHECK (status IN ('PLACED','EXPIRED','REFUNDED')),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE reconciliation.ledger_payments (
        payment_reference text PRIMARY KEY,
        order_number text NOT NULL,
        channel text NOT NULL,
        amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
        currency char(3) NOT NULL,
        paid_at timestamptz NOT NULL,
        is_correction boolean NOT NULL DEFAULT false,
        correction_incident_id uuid,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ledger_payments_order_idx ON reconciliation.ledger_payments (order_number)`);
    await q.query(`
      CREATE TABLE reconciliation.ledger_deliveries (
        id uuid PRIMARY KEY,
        order_number text NOT NULL,
        card_key_ref text,
        source text NOT NULL CHECK (source IN ('SHOP','REISSUE')),
        status text NOT NULL CHECK (status IN ('DELIVERED','FAILED','REVOKED')),
        failure_reason text,
        event_id uuid UNIQUE,
        occurred_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX ledger_deliveries_order_idx ON reconciliation.ledger_deliveries (order_number)`);
    await q.query(`
      CREATE TABLE reconciliation.clearing_records (
        payment_reference text PRIMARY KEY,
        order_number text NOT NULL,
        channel text NOT NULL,
        status text NOT NULL CHECK (status IN ('CLEARING','CLEARED','FAILED','REVERSED')),
        failure_code text,
        amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
        currency char(3) NOT NULL,
        version bigint NOT NULL,
        status_at timestamptz NOT NULL,
        merchant_id text,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX clearing_records_order_idx ON reconciliation.clearing_records (order_number)`);
    await q.query(`
      CREATE TABLE reconciliation.card_keys (
        id uuid PRIMARY KEY,
        sku text NOT NULL,
        ciphertext bytea NOT NULL,
        iv bytea NOT NULL,
        auth_tag bytea NOT NULL,
        key_id text NOT NULL,
        fingerprint text NOT NULL UNIQUE,
        hint text NOT NULL,
        status text NOT NULL DEFAULT 'AVAILABLE' CHECK (status IN ('AVAILABLE','ALLOCATED','REVOKED','REDEEMED')),
        expires_at timestamptz,
        order_number text,
        allocated_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX card_keys_available_idx ON reconciliation.card_keys (sku, created_at) WHERE status = 'AVAILABLE'`);
    await q.query(`
      CREATE TABLE reconciliation.issuances (
        id uuid PRIMARY KEY,
        order_number text NOT NULL,
        line_no int NOT NULL DEFAULT 1,
        cause text NOT NULL CHECK (cause IN ('PAID_NOT_CREDITED','REPLACEMENT','FORCED')),
        card_key_id uuid NOT NULL REFERENCES reconciliation.card_keys (id),
        incident_id uuid NOT NULL,
        account_id text NOT NULL,
        issued_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT issuances_once_per_line_and_cause UNIQUE (order_number, line_no, cause),
        CONSTRAINT issuances_key_used_once UNIQUE (card_key_id)
      )`);
    await q.query(`CREATE INDEX issuances_account_idx ON reconciliation.issuances (account_id, issued_at)`);
    await q.query(`
      CREATE TABLE reconciliation.triage_incidents (
        incident_id uuid PRIMARY KEY,
        order_number text NOT NULL,
        report jsonb NOT NULL,
        state text NOT NULL CHECK (state IN ('PENDING','AWAITING_CLEARING','DONE')),
        attempts int NOT NULL DEFAULT 0,
        next_check_at timestamptz,
        first_reported_at timestamptz NOT NULL,
        last_decision_id uuid,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX triage_incidents_due_idx ON reconciliation.triage_incidents (next_check_at) WHERE state = 'AWAITING_CLEARING'`);
    await q.query(`CREATE INDEX triage_incidents_order_idx ON reconciliation.triage_incidents (order_number)`);
    await q.query(`
      CREATE TABLE reconciliation.decisions (
        id uuid PRIMARY KEY,
        incident_id uuid NOT NULL,
        order_number text NOT NULL,
        outcome text NOT NULL,
        reason_code text NOT NULL,
        explanation text NOT NULL,
        rule_version text NOT NULL,
        evidence jsonb NOT NULL,
        issuance_id uuid,
        decided_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX decisions_incident_idx ON reconciliation.decisions (incident_id, decided_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'decisions',
      'triage_incidents',
      'issuances',
      'card_keys',
      'clearing_records',
      'ledger_deliveries',
      'ledger_payments',
      'ledger_orders',
      'inbox',
      'outbox',
    ]) {
      await q.query(`DROP TABLE reconciliation.${table}`);
    }
  }
}
