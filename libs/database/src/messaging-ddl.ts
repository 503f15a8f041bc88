/** DDL for the outbox and inbox tables every service keeps in its own schema. */
export function messagingTablesDdl(schema: string): string[] {
  return [
    `CREATE TABLE "${schema}".outbox (
       id bigserial PRIMARY KEY,
       event_id uuid NOT NULL UNIQUE,
       topic text NOT NULL,
       message_key text NOT NULL,
       type text NOT NULL,
       envelope jsonb NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       published_at timestamptz
     )`,
    `CREATE INDEX outbox_unpublished_idx ON "${schema}".outbox (id) WHERE published_at IS NULL`,
    `CREATE TABLE "${schema}".inbox (
       consumer text NOT NULL,
       event_id uuid NOT NULL,
       topic text NOT NULL,
       processed_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (consumer, event_id)
     )`,
  ];
}

/**
 * Lets the outbox relay set aside a row the broker refuses for good (too large, unknown
 * topic) instead of retrying it forever ahead of the rows behind it: how many times the
 * broker refused it, why the last time, and when it was set aside.
 */
export function outboxSetAsideDdl(schema: string): string[] {
  return [
    `ALTER TABLE "${schema}".outbox
       ADD COLUMN attempts int NOT NULL DEFAULT 0,
       ADD COLUMN last_error text,
       ADD COLUMN set_aside_at timestamptz`,
    `DROP INDEX "${schema}".outbox_unpublished_idx`,
    `CREATE INDEX outbox_pending_idx ON "${schema}".outbox (id) WHERE published_at IS NULL AND set_aside_at IS NULL`,
    `CREATE INDEX outbox_set_aside_idx ON "${schema}".outbox (id) WHERE set_aside_at IS NOT NULL`,
  ];
}

/** Undoes `outboxSetAsideDdl`. */
export function outboxSetAsideDownDdl(schema: string): string[] {
  return [
    `DROP INDEX "${schema}".outbox_set_aside_idx`,
    `DROP INDEX "${schema}".outbox_pending_idx`,
    `CREATE INDEX outbox_unpublished_idx ON "${schema}".outbox (id) WHERE published_at IS NULL`,
    `ALTER TABLE "${schema}".outbox DROP COLUMN set_aside_at, DROP COLUMN last_error, DROP COLUMN attempts`,
  ];
}

/** Indexes the retention sweeper reads old processed rows by. */
export function messagingRetentionIndexesDdl(schema: string): string[] {
  return [
    `CREATE INDEX outbox_published_at_idx ON "${schema}".outbox (published_at) WHERE published_at IS NOT NULL`,
    `CREATE INDEX inbox_processed_at_idx ON "${schema}".inbox (processed_at)`,
  ];
}
