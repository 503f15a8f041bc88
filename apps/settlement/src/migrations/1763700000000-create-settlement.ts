import { messagingTablesDdl } from '@pt/database';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSettlement1763700000000 implements MigrationInterface {
  name = 'CreateSettlement1763700000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of messagingTablesDdl('settlement')) await q.query(sql);
    await q.query(`
      CREATE TABLE settlement.payments (
        payment_reference text PRIMARY KEY,
        order_number text NOT NULL,
        merchant_id text,
        channel text NOT NULL,
        clearing_status text NOT NULL CHECK (clearing_status IN ('CLEARING','CLEARED','FAILED','REVERSED')),
        failure_code text,
        amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
        currency char(3) NOT NULL,
        clearing_version bigint NOT NULL,
        clearing_status_at timestamptz NOT NULL,
        cleared_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX payments_merchant_idx ON settlement.payments (merchant_id, clearing_status_at)`);
    await q.query(`CREATE INDEX payments_order_idx ON settlement.payments (order_number)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['payments', 'inbox', 'outbox']) await q.query(`DROP TABLE settlement.${table}`);
  }
}
