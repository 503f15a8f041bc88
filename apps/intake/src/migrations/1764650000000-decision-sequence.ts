import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sequence number (given by reconciliation, per incident) of the last triage decision
 * applied to an incident; null while none carrying one was applied. A decision is applied
 * only if its number is greater (see IncidentLifecycleService.applyDecision).
 */
export class DecisionSequence1764650000000 implements MigrationInterface {
  name = 'DecisionSequence1764650000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE intake.incidents ADD COLUMN decision_sequence int`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE intake.incidents DROP COLUMN decision_sequence`);
  }
}
