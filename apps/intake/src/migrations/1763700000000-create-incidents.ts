import { messagingTablesDdl } from '@pt/database';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateIncidents1763700000000 implements MigrationInterface {
  name = 'CreateIncidents1763700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of messagingTablesDdl('intake')) await queryRunner.query(sql);
    await queryRunner.query(`CREATE SEQUENCE intake.ticket_seq`);
    await queryRunner.query(`
      CREATE TABLE intake.incidents (
        id uuid PRIMARY KEY,
        ticket_number text NOT NULL UNIQUE,
        incident_type text NOT NULL CHECK (incident_type IN ('PAID_NOT_CREDITED', 'CARD_KEY_INVALID')),
        source text NOT NULL,
        status text NOT NULL CHECK (status IN ('RECEIVED','TRIAGING','AUTO_RESOLVED','AWAITING_CLEARING','ESCALATED','IN_PROGRESS','RESOLVED','REJECTED')),
        order_number text NOT NULL,
        account_id text NOT NULL,
        phone_last4_hash text,
        amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
        currency char(3) NOT NULL,
        paid_at timestamptz NOT NULL,
        channel text NOT NULL,
        payment_reference text,
        urgent boolean NOT NULL DEFAULT false,
        description text,
        outcome text,
        reason_code text,
        explanation text,
        decision_id uuid,
        card_key_id uuid,
        triaged_at timestamptz,
        correlation_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // One open incident per order and type: a second report joins it.
    await queryRunner.query(`
      CREATE UNIQUE INDEX incidents_one_open_per_order_type ON intake.incidents (order_number, incident_type)
      WHERE status IN ('RECEIVED','TRIAGING','AWAITING_CLEARING','ESCALATED','IN_PROGRESS')`);
    await queryRunner.query(`CREATE INDEX incidents_status_idx ON intake.incidents (status, created_at)`);
    await queryRunner.query(`
      CREATE TABLE intake.idempotency_keys (
        key text PRIMARY KEY,
        request_hash text NOT NULL,
        status_code int,
        response_body jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE intake.idempotency_keys`);
    await queryRunner.query(`DROP TABLE intake.incidents`);
    await queryRunner.query(`DROP SEQUENCE intake.ticket_seq`);
    await queryRunner.query(`DROP TABLE intake.inbox`);
    await queryRunner.query(`DROP TABLE intake.outbox`);
  }
}
