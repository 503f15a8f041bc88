import type { DataSource, EntityManager } from 'typeorm';

export type InboxOutcome = 'processed' | 'duplicate';

/**
 * Applies `effect` at most once per (consumer, event id): the inbox row and the effect
 * commit together, and a redelivered event finds its row and is skipped.
 */
export async function applyOnce(
  dataSource: DataSource,
  consumer: string,
  eventId: string,
  topic: string,
  effect: (manager: EntityManager) => Promise<void>,
): Promise<InboxOutcome> {
  return dataSource.transaction(async (manager) => {
    const schema = (dataSource.options as { schema?: string }).schema ?? 'public';
    const inserted: unknown[] = await manager.query(
      `INSERT INTO "${schema}".inbox (consumer, event_id, topic) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING event_id`,
      [consumer, eventId, topic],
    );
    if (inserted.length === 0) return 'duplicate';
    await effect(manager);
    return 'processed';
  });
}

/**
 * Runs a statement and returns its rows. TypeORM answers UPDATE/DELETE with
 * `[rows, affectedCount]` but SELECT/INSERT with the rows alone; this hides the difference.
 */
export async function queryRows<T = Record<string, unknown>>(manager: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  const result: unknown = await manager.query(sql, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
