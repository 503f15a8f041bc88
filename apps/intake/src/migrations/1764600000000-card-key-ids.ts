import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every card key triage issued for an incident, one per order line (an order of N units
 * is owed N keys); card_key_id stays the first of them.
 */
export class CardKeyIds1764600000000 implements MigrationInterface {
  name = 'CardKeyIds1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE intake.incidents ADD COLUMN card_key_ids uuid[] NOT NULL DEFAULT '{}'`);
    await q.query(`UPDATE intake.incidents SET card_key_ids = ARRAY[card_key_id] WHERE card_key_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE intake.incidents DROP COLUMN card_key_ids`);
  }
}
