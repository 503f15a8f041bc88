import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AgentsSlaAudit1763800000000 implements MigrationInterface {
  name = 'AgentsSlaAudit1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE intake.agents (
        id uuid PRIMARY KEY,
        username text NOT NULL UNIQUE,
        display_name text NOT NULL,
        role text NOT NULL CHECK (role IN ('agent','supervisor')),
        password_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        disabled_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE intake.agent_sessions (
        id uuid PRIMARY KEY,
        agent_id uuid NOT NULL REFERENCES intake.agents (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      )`);
    await q.query(`
      ALTER TABLE intake.incidents
        ADD COLUMN priority text NOT NULL DEFAULT 'P3' CHECK (priority IN ('P1','P2','P3')),
        ADD COLUMN merchant_id uuid,
        ADD COLUMN assignee_id uuid REFERENCES intake.agents (id),
        ADD COLUMN needs_supervisor boolean NOT NULL DEFAULT false,
        ADD COLUMN resolution_code text,
        ADD COLUMN first_response_due_at timestamptz,
        ADD COLUMN resolution_due_at timestamptz,
        ADD COLUMN first_responded_at timestamptz,
        ADD COLUMN resolved_at timestamptz,
        ADD COLUMN sla_paused_since timestamptz,
        ADD COLUMN sla_paused_minutes double precision NOT NULL DEFAULT 0,
        ADD COLUMN sla_breached_first_response boolean NOT NULL DEFAULT false,
        ADD COLUMN sla_breached_resolution boolean NOT NULL DEFAULT false`);
    await q.query(`CREATE INDEX incidents_queue_idx ON intake.incidents (status, resolution_due_at)`);
    // Who did what to an incident, when, from which state to which, and why. Append-only.
    await q.query(`
      CREATE TABLE intake.audit_log (
        id bigserial PRIMARY KEY,
        incident_id uuid NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        actor_type text NOT NULL CHECK (actor_type IN ('AGENT','SYSTEM','BUYER')),
        actor_id text NOT NULL,
        actor_name text,
        action text NOT NULL,
        status_before text,
        status_after text,
        before jsonb,
        after jsonb,
        reason text,
        correlation_id text
      )`);
    await q.query(`CREATE INDEX audit_log_incident_idx ON intake.audit_log (incident_id, id)`);
    await q.query(`
      CREATE FUNCTION intake.audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP;
      END $$`);
    await q.query(
      `CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON intake.audit_log FOR EACH ROW EXECUTE FUNCTION intake.audit_log_is_append_only()`,
    );
    await q.query(
      `CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON intake.audit_log FOR EACH STATEMENT EXECUTE FUNCTION intake.audit_log_is_append_only()`,
    );
    // Belt and braces for deployments where the service connects as a role other than the owner.
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON intake.audit_log FROM PUBLIC`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE intake.audit_log`);
    await q.query(`DROP FUNCTION intake.audit_log_is_append_only()`);
    await q.query(`DROP INDEX intake.incidents_queue_idx`);
    await q.query(`
      ALTER TABLE intake.incidents DROP COLUMN priority, DROP COLUMN merchant_id, DROP COLUMN assignee_id, DROP COLUMN needs_supervisor,
        DROP COLUMN resolution_code, DROP COLUMN first_response_due_at, DROP COLUMN resolution_due_at, DROP COLUMN first_responded_at,
        DROP COLUMN resolved_at, DROP COLUMN sla_paused_since, DROP COLUMN sla_paused_minutes, DROP COLUMN sla_breached_first_response, DROP COLUMN sla_breached_resolution`);
    await q.query(`DROP TABLE intake.agent_sessions`);
    await q.query(`DROP TABLE intake.agents`);
  }
}
