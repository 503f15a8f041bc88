import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { PgRateLimiter } from '@pt/database';
import { ApiError, SERVICE_CONFIG } from '@pt/platform';
import { DataSource } from 'typeorm';
import type { IntakeConfig } from '../config/intake.config.js';

/**
 * Limits password guessing, in PostgreSQL so every replica shares the counts. An attempt is
 * counted before its password is checked, so N guesses sent at once count as N; a sign-in
 * that succeeds takes its count back. Counts are kept per username (SIGN_IN_MAX_FAILURES) and
 * per client address (SIGN_IN_MAX_FAILURES_PER_ADDRESS) in fixed windows of
 * SIGN_IN_WINDOW_MINUTES, and per agent for the current password of a password change.
 */
@Injectable()
export class SignInLimiter {
  private readonly limiter: PgRateLimiter;
  private readonly windowSeconds: number;

  constructor(
    dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: IntakeConfig,
  ) {
    this.limiter = new PgRateLimiter(dataSource, 'intake');
    this.windowSeconds = Math.max(1, Math.round(config.SIGN_IN_WINDOW_MINUTES * 60));
  }

  /** Counts one sign-in attempt; throws 429 with Retry-After when the username or address is over its limit. */
  async countSignIn(username: string, address: string): Promise<void> {
    await this.count([
      { key: usernameKey(username), limit: this.config.SIGN_IN_MAX_FAILURES, windowSeconds: this.windowSeconds },
      { key: addressKey(address), limit: this.config.SIGN_IN_MAX_FAILURES_PER_ADDRESS, windowSeconds: this.windowSeconds },
    ]);
  }

  /** A sign-in succeeded: the username's failures are forgotten and the address's attempt refunded. */
  async signInSucceeded(username: string, address: string): Promise<void> {
    await this.limiter.forget(usernameKey(username));
    await this.limiter.refund(addressKey(address), this.windowSeconds);
  }

  /** Counts one attempt at an agent's current password (changing one's own password). */
  async countPasswordCheck(agentId: string): Promise<void> {
    await this.count([{ key: passwordCheckKey(agentId), limit: this.config.SIGN_IN_MAX_FAILURES, windowSeconds: this.windowSeconds }]);
  }

  async passwordCheckSucceeded(agentId: string): Promise<void> {
    await this.limiter.forget(passwordCheckKey(agentId));
  }

  private async count(buckets: { key: string; limit: number; windowSeconds: number }[]): Promise<void> {
    const verdict = await this.limiter.hit(buckets);
    if (verdict.allowed) return;
    const wait = verdict.retryAfterSeconds;
    throw new ApiError(HttpStatus.TOO_MANY_REQUESTS, 'SIGN_IN_THROTTLED', `too many failed password attempts; try again in ${wait} s`, undefined, {
      retryAfterSeconds: wait,
    });
  }
}

const usernameKey = (username: string) => `sign-in:username:${username.toLowerCase()}`;
const addressKey = (address: string) => `sign-in:address:${address}`;
const passwordCheckKey = (agentId: string) => `password-check:agent:${agentId}`;
