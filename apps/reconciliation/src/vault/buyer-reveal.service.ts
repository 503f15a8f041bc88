import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { SECURITY_ALERT_RAISED_TYPE, type SecurityAlertRaisedV1 } from '@pt/contracts';
import { PgRateLimiter, enqueueEvent } from '@pt/database';
import { JsonLogger, ServiceMetrics, currentCorrelationId } from '@pt/observability';
import { ApiError, BuyerTokenError, BuyerTokenVerifier, OutboxPublisher, SERVICE_CONFIG, type ChannelCaller, type VerifiedBuyer } from '@pt/platform';
import type { ReconciliationConfig } from '../config/reconciliation.config.js';
import type { RevealedCardKey } from './vault.service.js';
import { VaultService } from './vault.service.js';
import { VaultRepository } from './vault.repository.js';

/** Why a buyer's reveal was refused; each is audited and counted. */
export type RevealRefusal = 'THROTTLED' | 'NO_BUYER_TOKEN' | 'BAD_BUYER_TOKEN' | 'NOT_THE_BUYER' | 'NO_CARD_KEY';

/** Refusals that look like someone trying to take another buyer's key. */
const SUSPICIOUS: ReadonlySet<RevealRefusal> = new Set(['NO_BUYER_TOKEN', 'BAD_BUYER_TOKEN', 'NOT_THE_BUYER']);

const NOT_FOUND_MESSAGE = 'no card key was found for this order number';

/**
 * The buyer reads their own card key, through a channel, with the buyer token the shop
 * signed. Throttled per order and per channel client before anything is looked up; a
 * caller who is not the order's buyer gets exactly the answer of an unknown order. Every
 * refusal is audited (which channel, which order, which account the token named, why)
 * and counted in /metrics, and a burst of suspicious refusals on one order raises a
 * security incident for agents, once per alert window across every replica.
 */
@Injectable()
export class BuyerRevealService {
  constructor(
    private readonly vault: VaultService,
    private readonly repository: VaultRepository,
    private readonly limiter: PgRateLimiter,
    private readonly buyerTokens: BuyerTokenVerifier,
    private readonly outbox: OutboxPublisher,
    private readonly metrics: ServiceMetrics,
    private readonly logger: JsonLogger,
    @Inject(SERVICE_CONFIG) private readonly config: ReconciliationConfig,
  ) {}

  async reveal(orderNumber: string, channel: ChannelCaller, buyerToken: string | undefined): Promise<RevealedCardKey[]> {
    const throttle = await this.limiter.hit([
      { key: `reveal-client:${channel.clientId}`, limit: this.config.REVEAL_LIMIT_PER_CLIENT_PER_MINUTE, windowSeconds: 60 },
      { key: `reveal-order:${orderNumber}`, limit: this.config.REVEAL_LIMIT_PER_ORDER_PER_HOUR, windowSeconds: 3600 },
    ]);
    if (!throttle.allowed) {
      await this.refuse('THROTTLED', orderNumber, channel, null);
      throw ApiError.rateLimited(throttle.retryAfterSeconds, 'too many card-key reveals for this order or channel');
    }
    let buyer: VerifiedBuyer;
    try {
      buyer = await this.buyerTokens.verify(buyerToken);
    } catch (error) {
      if (error instanceof BuyerTokenError) await this.refuse(error.problem === 'MISSING' ? 'NO_BUYER_TOKEN' : 'BAD_BUYER_TOKEN', orderNumber, channel, null);
      throw error;
    }
    const revealed = await this.vault.revealForOwner(orderNumber, buyer.accountId, channel);
    if (revealed.kind !== 'REVEALED') {
      await this.refuse(revealed.kind, orderNumber, channel, buyer.accountId);
      throw new ApiError(HttpStatus.NOT_FOUND, 'NOT_FOUND', NOT_FOUND_MESSAGE);
    }
    this.metrics.cardKeyReveals.inc({ result: 'REVEALED' });
    return revealed.keys;
  }

  private async refuse(reason: RevealRefusal, orderNumber: string, channel: ChannelCaller, tokenAccount: string | null): Promise<void> {
    this.metrics.cardKeyReveals.inc({ result: reason });
    const correlationId = currentCorrelationId() ?? crypto.randomUUID();
    const alertWindow = this.config.REVEAL_ALERT_WINDOW_MINUTES * 60;
    const alerted = await this.repository.transaction(async (m) => {
      await this.repository.audit(m, {
        actorType: 'BUYER',
        actorId: tokenAccount ?? `channel:${channel.clientName}`,
        action: 'REVEAL_REFUSED',
        subject: `order:${orderNumber}`,
        after: { reason, channelClientId: channel.clientId, channelClient: channel.clientName, buyerTokenAccount: tokenAccount },
        reason,
        correlationId,
      });
      if (!SUSPICIOUS.has(reason)) return false;
      const bucket = `reveal-refused:${orderNumber}`;
      const counted = await this.limiter.hit([{ key: bucket, limit: this.config.REVEAL_ALERT_REFUSALS, windowSeconds: alertWindow }], m);
      // Exactly one refusal in the window reaches the threshold: that one raises the alert.
      if (counted.counts[bucket] !== this.config.REVEAL_ALERT_REFUSALS) return false;
      const alert: SecurityAlertRaisedV1 = {
        alertId: crypto.randomUUID(),
        kind: 'REVEAL_REFUSALS',
        orderNumber,
        refusals: this.config.REVEAL_ALERT_REFUSALS,
        windowMinutes: this.config.REVEAL_ALERT_WINDOW_MINUTES,
        detail: `${this.config.REVEAL_ALERT_REFUSALS} card-key reveals of this order were refused within ${this.config.REVEAL_ALERT_WINDOW_MINUTES} minutes (last: ${reason} via channel ${channel.clientName})`,
        raisedAt: new Date().toISOString(),
      };
      await enqueueEvent(m, SECURITY_ALERT_RAISED_TYPE, orderNumber, alert, correlationId);
      return true;
    });
    this.logger.warn({ msg: 'card-key reveal refused', reason, orderNumber, channelClient: channel.clientName, alerted }, 'BuyerReveal');
    if (alerted) this.outbox.nudge();
  }
}
