import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Incidents reconciliation runs find: a systemic one stands for many orders at once. */
export class ReconciliationIncidents1763900000000 implements MigrationInterface {
  name = 'ReconciliationIncidents1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE intake.incidents DROP CONSTRAINT incidents_incident_type_check`);
    await q.query(`
      ALTER TABLE intake.incidents ADD CONSTRAINT incidents_incident_type_check
      CHECK (incident_type IN ('PAID_NOT_CREDITED', 'CARD_KEY_INVALID', 'SYSTEMIC_DISCREPANCY'))`);
    await q.query(`CREATE INDEX incidents_source_idx ON intake.incidents (source, created_at) WHERE source <> 'BUYER'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX intake.incidents_source_idx`);
    await q.query(`ALTER TABLE intake.incidents DROP CONSTRAINT incidents_incident_type_check`);
    await q.query(
      `ALTER TABLE intake.incidents ADD CONSTRAINT incidents_incident_type_check CHECK (incident_type IN ('PAID_NOT_CREDITED', 'CARD_KEY_INVALID'))`,
    );
  }
}
