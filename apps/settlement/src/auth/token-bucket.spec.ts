import { TokenBuckets } from './token-bucket.js';

describe('TokenBuckets', () => {
  it('allows a burst of the per-minute limit, then refuses with the seconds until the next token', () => {
    let now = 1_000_000;
    const buckets = new TokenBuckets(6, () => now);
    for (let i = 0; i < 6; i += 1) expect(buckets.take('m1')).toMatchObject({ allowed: true });
    expect(buckets.take('m1')).toEqual({ allowed: false, retryAfterSeconds: 10 });
    now += 4_000;
    expect(buckets.take('m1')).toEqual({ allowed: false, retryAfterSeconds: 6 });
    now += 6_000;
    expect(buckets.take('m1')).toEqual({ allowed: true, remaining: 0 });
  });

  it('keeps one bucket per key', () => {
    const buckets = new TokenBuckets(1, () => 0);
    expect(buckets.take('a').allowed).toBe(true);
    expect(buckets.take('a').allowed).toBe(false);
    expect(buckets.take('b').allowed).toBe(true);
  });

  it('never refills past the burst size', () => {
    let now = 0;
    const buckets = new TokenBuckets(2, () => now);
    buckets.take('a');
    now += 3_600_000;
    expect(buckets.take('a')).toEqual({ allowed: true, remaining: 1 });
    expect(buckets.take('a')).toEqual({ allowed: true, remaining: 0 });
    expect(buckets.take('a').allowed).toBe(false);
  });

  it('stays bounded in memory', () => {
    const buckets = new TokenBuckets(5, () => 0, 3);
    for (const k of ['a', 'b', 'c', 'd', 'e']) buckets.take(k);
    expect((buckets as unknown as { buckets: Map<string, unknown> }).buckets.size).toBeLessThanOrEqual(3);
  });
});
