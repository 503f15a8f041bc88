import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Merchants and their API keys; settlement batch state on each payment. A payment row
 * may now be created by either feed (a settlement batch can arrive before clearing), so
 * the clearing columns become nullable. The merchant-facing status is derived from both
 * feeds in one generated column, so it can be filtered and indexed.
 */
export class MerchantSettlementStatus1764000000000 implements MigrationInterface {
  name = 'MerchantSettlementStatus1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE settlement.merchants (
        id uuid PRIMARY KEY,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX merchants_name_key ON settlement.merchants (lower(name))`);
    await q.query(`
      CREATE TABLE settlement.api_keys (
        id uuid PRIMARY KEY,
        merchant_id uuid NOT NULL REFERENCES settlement.merchants (id),
        key_hash text NOT NULL UNIQUE,
        prefix text NOT NULL,
        label text,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX api_keys_merchant_idx ON settlement.api_keys (merchant_id, created_at)`);

    await q.query(`
      ALTER TABLE settlement.payments
        ALTER COLUMN order_number DROP NOT NULL,
        ALTER COLUMN channel DROP NOT NULL,
        ALTER COLUMN clearing_status DROP NOT NULL,
        ALTER COLUMN currency DROP NOT NULL,
        ALTER COLUMN clearing_version DROP NOT NULL,
        ALTER COLUMN clearing_status_at DROP NOT NULL,
        ADD COLUMN first_seen_at timestamptz,
        ADD COLUMN batch_id text,
        ADD COLUMN batch_outcome text CHECK (batch_outcome IN ('PAID','FAILED')),
        ADD COLUMN batch_failure_code text,
        ADD COLUMN batch_event_at timestamptz,
        ADD COLUMN destination_account_masked text`);
    await q.query(`UPDATE settlement.payments SET first_seen_at = clearing_status_at`);
    await q.query(`ALTER TABLE settlement.payments ALTER COLUMN first_seen_at SET NOT NULL`);
    await q.query(`
      ALTER TABLE settlement.payments
        ADD CONSTRAINT payments_known_from_a_feed CHECK (clearing_status IS NOT NULL OR batch_outcome IS NOT NULL),
        ADD COLUMN status text GENERATED ALWAYS AS (
          CASE
            WHEN clearing_status = 'REVERSED' THEN 'REVERSED'
            WHEN clearing_status = 'FAILED' THEN 'FAILED'
            WHEN batch_outcome = 'PAID' THEN 'SETTLED'
            WHEN batch_outcome = 'FAILED' THEN 'FAILED'
            ELSE 'CLEARING'
          END) STORED`);
    await q.query(`DROP INDEX settlement.payments_merchant_idx`);
    await q.query(`CREATE INDEX payments_merchant_seen_idx ON settlement.payments (merchant_id, first_seen_at DESC, payment_reference DESC)`);
    await q.query(`CREATE INDEX payments_merchant_status_seen_idx ON settlement.payments (merchant_id, status, first_seen_at DESC, payment_reference DESC)`);
    await q.query(`CREATE INDEX payments_merchant_order_idx ON settlement.payments (merchant_id, order_number)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX settlement.payments_merchant_order_idx`);
    await q.query(`DROP INDEX settlement.payments_merchant_status_seen_idx`);
    await q.query(`DROP INDEX settlement.payments_merchant_seen_idx`);
    await q.query(`CREATE INDEX payments_merchant_idx ON settlement.payments (merchant_id, clearing_status_at)`);
    await q.query(`DELETE FROM settlement.payments WHERE clearing_status IS NULL`);
    await q.query(`
      ALTER TABLE settlement.payments
        DROP CONSTRAINT payments_known_from_a_feed,
        DROP COLUMN status, DROP COLUMN first_seen_at, DROP COLUMN batch_id, DROP COLUMN batch_outcome,
        DROP COLUMN batch_failure_code, DROP COLUMN batch_event_at, DROP COLUMN destination_account_masked,
        ALTER COLUMN order_number SET NOT NULL, ALTER COLUMN channel SET NOT NULL, ALTER COLUMN clearing_status SET NOT NULL,
        ALTER COLUMN currency SET NOT NULL, ALTER COLUMN clearing_version SET NOT NULL, ALTER COLUMN clearing_status_at SET NOT NULL`);
    await q.query(`DROP TABLE settlement.api_keys`);
    await q.query(`DROP TABLE settlement.merchants`);
  }
}
