import type { DataSource } from 'typeorm';

/** A table whose rows may go once a timestamp column is older than the retention age. */
export interface RetainedTable {
  /** Table name within the service's schema. */
  table: string;
  /** The timestamptz column that says when a row was done with; rows where it is NULL stay. */
  doneAt: string;
}

/** What every service keeps: published outbox rows and inbox rows. */
export const MESSAGING_RETAINED_TABLES: readonly RetainedTable[] = [
  { table: 'outbox', doneAt: 'published_at' },
  { table: 'inbox', doneAt: 'processed_at' },
];

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * Deletes up to `batchSize` rows of `table` done longer than `olderThanSeconds` ago, in
 * one statement of its own. Rows are picked with SKIP LOCKED, so replicas sweeping at the
 * same moment take different rows instead of waiting on each other. Returns how many went.
 */
export async function purgeOldRows(dataSource: DataSource, { table, doneAt }: RetainedTable, olderThanSeconds: number, batchSize: number): Promise<number> {
  if (!IDENTIFIER.test(table) || !IDENTIFIER.test(doneAt)) throw new Error(`not a plain identifier: ${table}.${doneAt}`);
  const schema = (dataSource.options as { schema?: string }).schema ?? 'public';
  const [, deleted] = await dataSource.query<[unknown, number]>(
    `DELETE FROM "${schema}"."${table}" WHERE ctid IN (
       SELECT ctid FROM "${schema}"."${table}"
       WHERE "${doneAt}" < now() - make_interval(secs => $1)
       LIMIT $2 FOR UPDATE SKIP LOCKED)`,
    [olderThanSeconds, batchSize],
  );
  return deleted;
}
