import { adminAuditDdl } from '@pt/database';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reconciliation's copy of the channel clients' keys (intake owns them and announces every
 * change on access.events.v1): the buyer's reveal is called by a channel, like a report.
 * And the operators' trail: card-key imports and reconciliation runs under their names.
 */
export class ChannelClients1764200000000 implements MigrationInterface {
  name = 'ChannelClients1764200000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of adminAuditDdl('reconciliation')) await q.query(sql);
    await q.query(`
      CREATE TABLE reconciliation.channel_client_keys (
        key_id uuid PRIMARY KEY,
        client_id uuid NOT NULL,
        client_name text NOT NULL,
        key_hash text NOT NULL UNIQUE,
        revoked_at timestamptz,
        changed_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE reconciliation.channel_client_keys`);
    await q.query(`DROP TABLE reconciliation.admin_audit_log`);
    await q.query(`DROP FUNCTION reconciliation.admin_audit_log_is_append_only()`);
  }
}
