import { createTestDatabase, testPool } from '@pt/testing';
import type pg from 'pg';
import { PgRateLimiter, rateLimitDdl } from '@pt/database';

describe('PgRateLimiter', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: pg.Pool;
  let limiter: PgRateLimiter;

  beforeAll(async () => {
    database = await createTestDatabase('rate-limiter');
    pool = testPool(database.url);
    await pool.query('CREATE SCHEMA limits');
    for (const sql of rateLimitDdl('limits')) await pool.query(sql);
    limiter = new PgRateLimiter(pool, 'limits');
  });

  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('allows up to the limit in a window, then refuses with the seconds left in it', async () => {
    const bucket = { key: `b-${crypto.randomUUID()}`, limit: 3, windowSeconds: 3600 };
    for (let i = 0; i < 3; i += 1) expect((await limiter.hit([bucket])).allowed).toBe(true);
    const refused = await limiter.hit([bucket]);
    expect(refused.allowed).toBe(false);
    expect(refused.refusedBy).toBe(bucket.key);
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(3600);
  });

  it('counts concurrent hits one by one: 20 at once against a limit of 5 let exactly 5 through', async () => {
    const bucket = { key: `c-${crypto.randomUUID()}`, limit: 5, windowSeconds: 3600 };
    const verdicts = await Promise.all(Array.from({ length: 20 }, () => limiter.hit([bucket])));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(5);
    expect(await limiter.current(bucket.key, 3600)).toBe(20);
  });

  it('refuses when any one of several buckets is full, naming it, and counts the hit in all of them', async () => {
    const roomy = { key: `r-${crypto.randomUUID()}`, limit: 100, windowSeconds: 60 };
    const tight = { key: `t-${crypto.randomUUID()}`, limit: 1, windowSeconds: 60 };
    expect((await limiter.hit([roomy, tight])).allowed).toBe(true);
    const verdict = await limiter.hit([roomy, tight]);
    expect(verdict).toMatchObject({ allowed: false, refusedBy: tight.key, counts: { [roomy.key]: 2, [tight.key]: 2 } });
    expect(await limiter.current(roomy.key, 60)).toBe(2);
  });

  it('refunds and forgets', async () => {
    const bucket = { key: `f-${crypto.randomUUID()}`, limit: 1, windowSeconds: 3600 };
    await limiter.hit([bucket]);
    await limiter.refund(bucket.key, 3600);
    expect((await limiter.hit([bucket])).allowed).toBe(true);
    expect((await limiter.hit([bucket])).allowed).toBe(false);
    await limiter.forget(bucket.key);
    expect((await limiter.hit([bucket])).allowed).toBe(true);
  });

  it('treats a limit of 0 as no limit, and purges windows that ended', async () => {
    const off = { key: `o-${crypto.randomUUID()}`, limit: 0, windowSeconds: 60 };
    for (let i = 0; i < 5; i += 1) expect((await limiter.hit([off])).allowed).toBe(true);
    await pool.query(`INSERT INTO limits.rate_limit_hits VALUES ('old', now() - interval '2 hours', 60, 9)`);
    await limiter.purgeExpired();
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM limits.rate_limit_hits WHERE bucket = 'old'`);
    expect(rows[0].n).toBe(0);
  });
});
