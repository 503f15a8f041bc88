/** Anything that runs a parameterised statement: a DataSource, an EntityManager, a pg pool. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** One counter to bump: at most `limit` hits per fixed window of `windowSeconds`. */
/** pg answers with a result holding the rows; TypeORM with the rows, or [rows, count] for UPDATE and DELETE. */
async function rows<T>(db: Queryable, sql: string, parameters?: unknown[]): Promise<T[]> {
  const result = (await db.query(sql, parameters)) as T[] | [T[], number] | { rows: T[] };
  if (!Array.isArray(result)) return result.rows;
  if (result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0];
  return result as T[];
}

export interface RateLimitBucket {
  /** What is counted, e.g. `report:client:<id>` or `reveal:order:<number>`. */
  key: string;
  limit: number;
  windowSeconds: number;
}

export interface RateLimitVerdict {
  allowed: boolean;
  /** Seconds until the fullest refusing bucket's window ends; 0 when allowed. */
  retryAfterSeconds: number;
  /** The first bucket over its limit, when refused. */
  refusedBy?: string;
  /** Hits counted so far in each bucket's current window, this one included. */
  counts: Record<string, number>;
}

/** The table behind `PgRateLimiter`, in a service's own schema. */
export function rateLimitDdl(schema: string): string[] {
  return [
    `CREATE TABLE "${schema}".rate_limit_hits (
       bucket text NOT NULL,
       window_start timestamptz NOT NULL,
       window_seconds int NOT NULL CHECK (window_seconds > 0),
       hits int NOT NULL,
       PRIMARY KEY (bucket, window_start)
     )`,
    `CREATE INDEX rate_limit_hits_expiry_idx ON "${schema}".rate_limit_hits (window_start)`,
  ];
}

/**
 * Fixed-window counters in PostgreSQL, so every replica of a service shares them. Each
 * `hit` counts first and judges after, in one statement: N concurrent attempts count as
 * N, and a refused attempt still counts (it cannot extend a fixed window). Windows are
 * cut by the database clock, so replicas with skewed clocks agree.
 */
export class PgRateLimiter {
  private readonly table: string;

  constructor(
    private readonly db: Queryable,
    schema: string,
    /** Expired rows are deleted on about one hit in this many. */
    private readonly purgeEvery = 200,
  ) {
    this.table = `"${schema}".rate_limit_hits`;
  }

  /** Counts one hit on every bucket; refused when any bucket is now over its limit. */
  async hit(buckets: RateLimitBucket[], db: Queryable = this.db): Promise<RateLimitVerdict> {
    const active = buckets.filter((b) => b.limit > 0);
    if (active.length === 0) return { allowed: true, retryAfterSeconds: 0, counts: {} };
    const counted = await rows<{ bucket: string; hits: number; remaining: number }>(
      db,
      `INSERT INTO ${this.table} AS r (bucket, window_start, window_seconds, hits)
       SELECT t.bucket, to_timestamp(floor(extract(epoch FROM clock_timestamp()) / t.seconds) * t.seconds), t.seconds, 1
         FROM unnest($1::text[], $2::int[]) AS t(bucket, seconds)
       ON CONFLICT (bucket, window_start) DO UPDATE SET hits = r.hits + 1
       RETURNING r.bucket, r.hits,
                 ceil(extract(epoch FROM r.window_start + make_interval(secs => r.window_seconds) - clock_timestamp()))::int AS remaining`,
      [active.map((b) => b.key), active.map((b) => Math.max(1, Math.round(b.windowSeconds)))],
    );
    if (Math.random() * this.purgeEvery < 1) await this.purgeExpired(db);
    const counts = Object.fromEntries(counted.map((row) => [row.bucket, row.hits]));
    let verdict: RateLimitVerdict = { allowed: true, retryAfterSeconds: 0, counts };
    for (const row of counted) {
      const bucket = active.find((b) => b.key === row.bucket)!;
      if (row.hits > bucket.limit) {
        const wait = Math.max(1, row.remaining);
        if (verdict.allowed || wait > verdict.retryAfterSeconds) verdict = { allowed: false, retryAfterSeconds: wait, refusedBy: bucket.key, counts };
      }
    }
    return verdict;
  }

  /** Takes back one hit of the current window (an attempt that turned out not to count). */
  async refund(key: string, windowSeconds: number, db: Queryable = this.db): Promise<void> {
    await db.query(
      `UPDATE ${this.table} SET hits = greatest(hits - 1, 0)
        WHERE bucket = $1 AND window_start = to_timestamp(floor(extract(epoch FROM clock_timestamp()) / $2::int) * $2::int)`,
      [key, Math.max(1, Math.round(windowSeconds))],
    );
  }

  /** Forgets every window of a bucket (e.g. a successful sign-in clears its failures). */
  async forget(key: string, db: Queryable = this.db): Promise<void> {
    await db.query(`DELETE FROM ${this.table} WHERE bucket = $1`, [key]);
  }

  /** Hits counted in the bucket's current window. */
  async current(key: string, windowSeconds: number, db: Queryable = this.db): Promise<number> {
    const found = await rows<{ hits: number }>(
      db,
      `SELECT hits FROM ${this.table} WHERE bucket = $1 AND window_start = to_timestamp(floor(extract(epoch FROM clock_timestamp()) / $2::int) * $2::int)`,
      [key, Math.max(1, Math.round(windowSeconds))],
    );
    return found[0]?.hits ?? 0;
  }

  async purgeExpired(db: Queryable = this.db): Promise<void> {
    await db.query(
      `DELETE FROM ${this.table} WHERE ctid IN (
         SELECT ctid FROM ${this.table} WHERE window_start + make_interval(secs => window_seconds) < clock_timestamp() LIMIT 1000)`,
    );
  }
}
