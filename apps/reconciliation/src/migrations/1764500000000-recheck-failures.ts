import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Failed re-checks of waiting incidents: how many in a row, when the last one failed and
 * why (summarised, no secrets). The next attempt is `next_check_at`, pushed back on each
 * failure, so the sweeper's order (oldest due first) moves past a failing incident.
 */
export class RecheckFailures1764500000000 implements MigrationInterface {
  name = 'RecheckFailures1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reconciliation.triage_incidents ADD COLUMN recheck_failures int NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE reconciliation.triage_incidents ADD COLUMN last_recheck_failed_at timestamptz`);
    await q.query(`ALTER TABLE reconciliation.triage_incidents ADD COLUMN last_recheck_error text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reconciliation.triage_incidents DROP COLUMN last_recheck_error`);
    await q.query(`ALTER TABLE reconciliation.triage_incidents DROP COLUMN last_recheck_failed_at`);
    await q.query(`ALTER TABLE reconciliation.triage_incidents DROP COLUMN recheck_failures`);
  }
}
