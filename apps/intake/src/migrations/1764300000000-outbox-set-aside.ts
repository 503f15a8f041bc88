import { outboxSetAsideDdl, outboxSetAsideDownDdl } from '@pt/database';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Outbox rows the broker refuses for good are set aside with their attempts and last error. */
export class OutboxSetAside1764300000000 implements MigrationInterface {
  name = 'OutboxSetAside1764300000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of outboxSetAsideDdl('intake')) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of outboxSetAsideDownDdl('intake')) await q.query(sql);
  }
}
