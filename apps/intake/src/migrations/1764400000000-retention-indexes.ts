import { messagingRetentionIndexesDdl } from '@pt/database';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Indexes for the retention sweeper, which deletes old processed rows in small batches. */
export class RetentionIndexes1764400000000 implements MigrationInterface {
  name = 'RetentionIndexes1764400000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of messagingRetentionIndexesDdl('intake')) await q.query(sql);
    await q.query(`CREATE INDEX idempotency_keys_created_at_idx ON intake.idempotency_keys (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX intake.inbox_processed_at_idx`);
    await q.query(`DROP INDEX intake.outbox_published_at_idx`);
    await q.query(`DROP INDEX intake.idempotency_keys_created_at_idx`);
  }
}
