import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each incident's decisions numbered 1, 2, 3… in the order they were made (under the
 * order's lock), so intake applies the newest by its number rather than by the deciding
 * replica's clock. `triage_incidents.decision_seq` is the last number given to the
 * incident; decisions already made are numbered by when they were made.
 */
export class DecisionSequence1764650000000 implements MigrationInterface {
  name = 'DecisionSequence1764650000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reconciliation.decisions ADD COLUMN sequence int`);
    await q.query(`ALTER TABLE reconciliation.triage_incidents ADD COLUMN decision_seq int NOT NULL DEFAULT 0`);
    await q.query(`
      UPDATE reconciliation.decisions d SET sequence = n.seq
        FROM (SELECT id, row_number() OVER (PARTITION BY incident_id ORDER BY decided_at, id)::int AS seq FROM reconciliation.decisions) n
       WHERE n.id = d.id`);
    await q.query(`
      UPDATE reconciliation.triage_incidents t SET decision_seq = n.seq
        FROM (SELECT incident_id, max(sequence) AS seq FROM reconciliation.decisions GROUP BY incident_id) n
       WHERE n.incident_id = t.incident_id`);
    await q.query(`CREATE UNIQUE INDEX decisions_incident_sequence_key ON reconciliation.decisions (incident_id, sequence)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX reconciliation.decisions_incident_sequence_key`);
    await q.query(`ALTER TABLE reconciliation.triage_incidents DROP COLUMN decision_seq`);
    await q.query(`ALTER TABLE reconciliation.decisions DROP COLUMN sequence`);
  }
}
