import { adminAuditDdl } from '@pt/database';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Operators' actions (merchants, API keys), append-only, under the admin credential's name. */
export class AdminAudit1764200000000 implements MigrationInterface {
  name = 'AdminAudit1764200000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of adminAuditDdl('settlement')) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE settlement.admin_audit_log`);
    await q.query(`DROP FUNCTION settlement.admin_audit_log_is_append_only()`);
  }
}
