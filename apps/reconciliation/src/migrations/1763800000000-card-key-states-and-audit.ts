import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CardKeyStatesAndAudit1763800000000 implements MigrationInterface {
  name = 'CardKeyStatesAndAudit1763800000000';

  async up(q: QueryRunner): Promise<void> {
    // What the shop or supplier reported about delivered keys that are not in the vault.
    await q.query(`
      CREATE TABLE reconciliation.card_key_states (
        card_key_ref text PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('REDEEMED','REVOKED','EXPIRED')),
        redeemed_by_account_id text,
        at timestamptz NOT NULL
      )`);
    await q.query(`ALTER TABLE reconciliation.card_keys ADD COLUMN redeemed_by_account_id text`);
    // Re-checks keep the correlation id of the report that started them.
    await q.query(`ALTER TABLE reconciliation.triage_incidents ADD COLUMN correlation_id text`);
    // Append-only: who did what to which card key, and why.
    await q.query(`
      CREATE TABLE reconciliation.audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor_type text NOT NULL CHECK (actor_type IN ('BUYER','AGENT','ADMIN','SYSTEM')),
        actor_id text NOT NULL,
        action text NOT NULL,
        subject text NOT NULL,
        before jsonb,
        after jsonb,
        reason text,
        correlation_id text
      )`);
    await q.query(`
      CREATE FUNCTION reconciliation.audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP;
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON reconciliation.audit_log
      FOR EACH ROW EXECUTE FUNCTION reconciliation.audit_log_is_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON reconciliation.audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION reconciliation.audit_log_is_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE reconciliation.audit_log`);
    await q.query(`DROP FUNCTION reconciliation.audit_log_is_append_only()`);
    await q.query(`ALTER TABLE reconciliation.triage_incidents DROP COLUMN correlation_id`);
    await q.query(`ALTER TABLE reconciliation.card_keys DROP COLUMN redeemed_by_account_id`);
    await q.query(`DROP TABLE reconciliation.card_key_states`);
  }
}
