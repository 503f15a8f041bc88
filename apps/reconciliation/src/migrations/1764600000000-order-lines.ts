import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Order lines: an order of N units is owed N card keys, one per line 1..N. A delivered
 * key holds the line it fills (a re-issue its issuance's line, a shop delivery the lowest
 * line no other delivered key holds), so triage can tell which lines are still owed. A
 * decision keeps every issuance it made, not only the first.
 */
export class OrderLines1764600000000 implements MigrationInterface {
  name = 'OrderLines1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reconciliation.ledger_deliveries ADD COLUMN line_no int CHECK (line_no >= 1)`);
    // Rows from before lines: a re-issue takes its issuance's line, the shop's deliveries lines in the order they came.
    await q.query(`
      UPDATE reconciliation.ledger_deliveries d SET line_no = i.line_no
        FROM reconciliation.issuances i
       WHERE d.source = 'REISSUE' AND d.card_key_ref = i.card_key_id::text`);
    await q.query(`
      UPDATE reconciliation.ledger_deliveries d SET line_no = n.line_no
        FROM (SELECT id, row_number() OVER (PARTITION BY order_number ORDER BY occurred_at, id)::int AS line_no
                FROM reconciliation.ledger_deliveries WHERE source = 'SHOP' AND status <> 'FAILED') n
       WHERE d.id = n.id`);
    await q.query(`UPDATE reconciliation.ledger_deliveries SET line_no = 1 WHERE line_no IS NULL AND status <> 'FAILED'`);
    await q.query(`ALTER TABLE reconciliation.issuances ADD CONSTRAINT issuances_line_from_one CHECK (line_no >= 1)`);
    await q.query(`ALTER TABLE reconciliation.decisions ADD COLUMN issuance_ids uuid[] NOT NULL DEFAULT '{}'`);
    await q.query(`UPDATE reconciliation.decisions SET issuance_ids = ARRAY[issuance_id] WHERE issuance_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reconciliation.decisions DROP COLUMN issuance_ids`);
    await q.query(`ALTER TABLE reconciliation.issuances DROP CONSTRAINT issuances_line_from_one`);
    await q.query(`ALTER TABLE reconciliation.ledger_deliveries DROP COLUMN line_no`);
  }
}
