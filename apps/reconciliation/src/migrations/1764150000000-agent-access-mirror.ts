import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What reconciliation has heard from intake about agents' access (access.events.v1): each
 * agent's current role and whether it is disabled, and the sessions ended before expiry.
 * Tokens of agents not in here are judged by their signature and claims alone.
 */
export class AgentAccessMirror1764150000000 implements MigrationInterface {
  name = 'AgentAccessMirror1764150000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reconciliation.agent_access (
        agent_id uuid PRIMARY KEY,
        username text NOT NULL,
        role text NOT NULL CHECK (role IN ('agent','supervisor')),
        disabled boolean NOT NULL,
        access_version int NOT NULL CHECK (access_version > 0),
        changed_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE reconciliation.revoked_agent_sessions (
        session_id uuid PRIMARY KEY,
        agent_id uuid NOT NULL,
        reason text NOT NULL,
        revoked_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX revoked_agent_sessions_expiry_idx ON reconciliation.revoked_agent_sessions (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE reconciliation.revoked_agent_sessions`);
    await q.query(`DROP TABLE reconciliation.agent_access`);
  }
}
