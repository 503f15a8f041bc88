import { adminAuditDdl } from '@pt/database';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const OPEN = `('RECEIVED','TRIAGING','AWAITING_CLEARING','ESCALATED','IN_PROGRESS')`;

/**
 * Who calls on the buyer's side: channel clients with hashed keys; reports remember the
 * channel and whether a buyer token vouched for the account; a report only ever joins an
 * incident of the same account (and the same verification), never a stranger's.
 */
export class BuyerEdge1764200000000 implements MigrationInterface {
  name = 'BuyerEdge1764200000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of adminAuditDdl('intake')) await q.query(sql);
    await q.query(`
      CREATE TABLE intake.channel_clients (
        id uuid PRIMARY KEY,
        name text NOT NULL UNIQUE,
        kind text NOT NULL CHECK (kind IN ('HELP_CENTER','CHAT_BOT','PHONE_DESK','OTHER')),
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE intake.channel_client_keys (
        id uuid PRIMARY KEY,
        client_id uuid NOT NULL REFERENCES intake.channel_clients (id),
        label text,
        prefix text NOT NULL,
        key_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        replaced_by uuid
      )`);
    await q.query(`CREATE INDEX channel_client_keys_client_idx ON intake.channel_client_keys (client_id)`);
    await q.query(`
      ALTER TABLE intake.incidents
        ADD COLUMN buyer_verified boolean NOT NULL DEFAULT false,
        ADD COLUMN channel_client_id uuid REFERENCES intake.channel_clients (id)`);
    await q.query(`ALTER TABLE intake.incidents DROP CONSTRAINT incidents_incident_type_check`);
    await q.query(`
      ALTER TABLE intake.incidents ADD CONSTRAINT incidents_incident_type_check
      CHECK (incident_type IN ('PAID_NOT_CREDITED', 'CARD_KEY_INVALID', 'SYSTEMIC_DISCREPANCY', 'SECURITY_ALERT'))`);
    await q.query(`DROP INDEX intake.incidents_one_open_per_order_type`);
    await q.query(`
      CREATE UNIQUE INDEX incidents_one_open_buyer_report ON intake.incidents (order_number, incident_type, account_id, buyer_verified)
      WHERE source = 'BUYER' AND status IN ${OPEN}`);
    await q.query(`
      CREATE UNIQUE INDEX incidents_one_open_system ON intake.incidents (order_number, incident_type)
      WHERE source <> 'BUYER' AND status IN ${OPEN}`);
    await q.query(`CREATE INDEX incidents_ticket_account_idx ON intake.incidents (ticket_number, account_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX intake.incidents_ticket_account_idx`);
    await q.query(`DROP INDEX intake.incidents_one_open_system`);
    await q.query(`DROP INDEX intake.incidents_one_open_buyer_report`);
    await q.query(`
      CREATE UNIQUE INDEX incidents_one_open_per_order_type ON intake.incidents (order_number, incident_type)
      WHERE status IN ${OPEN}`);
    await q.query(`ALTER TABLE intake.incidents DROP CONSTRAINT incidents_incident_type_check`);
    await q.query(
      `ALTER TABLE intake.incidents ADD CONSTRAINT incidents_incident_type_check CHECK (incident_type IN ('PAID_NOT_CREDITED', 'CARD_KEY_INVALID', 'SYSTEMIC_DISCREPANCY'))`,
    );
    await q.query(`ALTER TABLE intake.incidents DROP COLUMN channel_client_id, DROP COLUMN buyer_verified`);
    await q.query(`DROP TABLE intake.channel_client_keys`);
    await q.query(`DROP TABLE intake.channel_clients`);
    await q.query(`DROP TABLE intake.admin_audit_log`);
    await q.query(`DROP FUNCTION intake.admin_audit_log_is_append_only()`);
  }
}
