import { rateLimitDdl } from '@pt/database';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Rate-limit counters shared by every replica (see PgRateLimiter). */
export class RateLimits1764100000000 implements MigrationInterface {
  name = 'RateLimits1764100000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of rateLimitDdl('settlement')) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE settlement.rate_limit_hits`);
  }
}
