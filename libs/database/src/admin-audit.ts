import type { Queryable } from './rate-limiter.js';

/** One operator action: who (the admin credential's name), what, on what, with what result. */
export interface AdminAuditEntry {
  operator: string;
  action: string;
  /** What the action was on, e.g. `agent:alice`, `channel-client:<id>`. */
  subject: string;
  /** Facts of the action; never a secret. */
  details?: Record<string, unknown> | null;
  correlationId?: string | null;
}

/** The append-only trail of operators' actions, in a service's own schema. */
export function adminAuditDdl(schema: string): string[] {
  return [
    `CREATE TABLE "${schema}".admin_audit_log (
       id bigserial PRIMARY KEY,
       at timestamptz NOT NULL DEFAULT now(),
       operator text NOT NULL,
       action text NOT NULL,
       subject text NOT NULL,
       details jsonb,
       correlation_id text
     )`,
    `CREATE INDEX admin_audit_log_at_idx ON "${schema}".admin_audit_log (at)`,
    `CREATE FUNCTION "${schema}".admin_audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       RAISE EXCEPTION 'admin_audit_log is append-only: % is not allowed', TG_OP;
     END $$`,
    `CREATE TRIGGER admin_audit_log_append_only BEFORE UPDATE OR DELETE ON "${schema}".admin_audit_log
       FOR EACH ROW EXECUTE FUNCTION "${schema}".admin_audit_log_is_append_only()`,
    `CREATE TRIGGER admin_audit_log_no_truncate BEFORE TRUNCATE ON "${schema}".admin_audit_log
       FOR EACH STATEMENT EXECUTE FUNCTION "${schema}".admin_audit_log_is_append_only()`,
    `REVOKE UPDATE, DELETE, TRUNCATE ON "${schema}".admin_audit_log FROM PUBLIC`,
  ];
}

export async function appendAdminAudit(db: Queryable, schema: string, entry: AdminAuditEntry): Promise<void> {
  await db.query(`INSERT INTO "${schema}".admin_audit_log (operator, action, subject, details, correlation_id) VALUES ($1, $2, $3, $4, $5)`, [
    entry.operator,
    entry.action,
    entry.subject,
    entry.details ? JSON.stringify(entry.details) : null,
    entry.correlationId ?? null,
  ]);
}
