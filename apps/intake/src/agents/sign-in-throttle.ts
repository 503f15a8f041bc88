/**
 * Failed sign-ins per username, in memory: after `maxFailures` failures within
 * `windowMs`, every sign-in under that name is refused until the oldest of them leaves
 * the window. A successful sign-in clears the name's record. Unknown names are counted
 * like known ones, so the answers do not tell which names exist.
 *
 * Each replica counts on its own: behind a load balancer of n replicas, a guesser gets at
 * most n × maxFailures tries per window.
 */
export class SignInThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
    /** Names remembered at most; the longest-quiet ones are forgotten first. */
    private readonly capacity = 10_000,
  ) {}

  /** Seconds until `username` may try again, or 0 when it may try now. */
  retryAfterSeconds(username: string): number {
    if (this.maxFailures <= 0) return 0;
    const recent = this.recent(username);
    if (recent.length < this.maxFailures) return 0;
    const oldestCounted = recent[recent.length - this.maxFailures]!;
    return Math.max(1, Math.ceil((oldestCounted + this.windowMs - this.now()) / 1000));
  }

  failed(username: string): void {
    if (this.maxFailures <= 0) return;
    const key = username.toLowerCase();
    const recent = this.recent(key);
    recent.push(this.now());
    // Re-inserting moves the name to the end: the map's first entries are the quietest.
    this.failures.delete(key);
    this.failures.set(key, recent.slice(-this.maxFailures));
    while (this.failures.size > this.capacity) this.failures.delete(this.failures.keys().next().value!);
  }

  succeeded(username: string): void {
    this.failures.delete(username.toLowerCase());
  }

  private recent(username: string): number[] {
    const key = username.toLowerCase();
    const since = this.now() - this.windowMs;
    const kept = (this.failures.get(key) ?? []).filter((at) => at > since);
    if (kept.length === 0) this.failures.delete(key);
    return kept;
  }
}
