import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A version per agent that grows with every change of its access (role, disabled), carried
 * by the access events so consumers keep the newest state; and an index to end all of an
 * agent's open sessions at once.
 */
export class AgentAccessVersion1764150000000 implements MigrationInterface {
  name = 'AgentAccessVersion1764150000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE intake.agents ADD COLUMN access_version int NOT NULL DEFAULT 1`);
    await q.query(`CREATE INDEX agent_sessions_open_idx ON intake.agent_sessions (agent_id) WHERE revoked_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX intake.agent_sessions_open_idx`);
    await q.query(`ALTER TABLE intake.agents DROP COLUMN access_version`);
  }
}
