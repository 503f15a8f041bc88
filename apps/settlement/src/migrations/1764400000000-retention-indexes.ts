import { messagingRetentionIndexesDdl } from '@pt/database';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Indexes for the retention sweeper, which deletes old processed rows in small batches. */
export class RetentionIndexes1764400000000 implements MigrationInterface {
  name = 'RetentionIndexes1764400000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of messagingRetentionIndexesDdl('settlement')) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX settlement.inbox_processed_at_idx`);
    await q.query(`DROP INDEX settlement.outbox_published_at_idx`);
  }
}
