import { HttpStatus, Inject, Injectable, createParamDecorator, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ApiError, MERCHANT_API_KEYS, SERVICE_CONFIG, hashBearerKey, presentedKey } from '@pt/platform';
import type { Request, Response } from 'express';
import type { SettlementConfig } from '../config/settlement.config.js';
import { MerchantsRepository, type KeyHolder } from '../merchants/merchants.repository.js';
import { PgRateLimiter } from '@pt/database';

type MerchantRequest = Request & { merchant?: KeyHolder };

/**
 * Merchant routes need an active API key. The merchant it belongs to is attached to the
 * request; revoked, unknown and malformed keys all get the same 401.
 */
@Injectable()
export class MerchantAuthGuard implements CanActivate {
  constructor(private readonly merchants: MerchantsRepository) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<MerchantRequest>();
    const key = presentedKey(req, 'x-api-key');
    const holder = key && MERCHANT_API_KEYS.looksLike(key) ? await this.merchants.findKeyHolder(hashBearerKey(key)) : null;
    if (!holder) {
      http.getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="settlement"');
      throw new ApiError(HttpStatus.UNAUTHORIZED, 'UNAUTHORIZED', 'a valid API key is required: Authorization: Bearer <key> or X-API-Key: <key>');
    }
    req.merchant = holder;
    return true;
  }
}

/**
 * Per-merchant request rate, after authentication: 429 with Retry-After when over. Counted
 * per minute in PostgreSQL, so a merchant gets the same limit however many replicas
 * answer it.
 */
@Injectable()
export class MerchantRateLimitGuard implements CanActivate {
  private readonly limit: number;

  constructor(
    @Inject(SERVICE_CONFIG) config: SettlementConfig,
    private readonly limiter: PgRateLimiter,
  ) {
    this.limit = config.SETTLEMENT_RATE_LIMIT_PER_MINUTE;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const merchant = http.getRequest<MerchantRequest>().merchant;
    if (!merchant) throw new Error('MerchantRateLimitGuard must run after MerchantAuthGuard');
    const res = http.getResponse<Response>();
    const key = `merchant:${merchant.merchantId}`;
    const verdict = await this.limiter.hit([{ key, limit: this.limit, windowSeconds: 60 }]);
    res.setHeader('X-RateLimit-Limit', String(this.limit));
    res.setHeader('X-RateLimit-Remaining', String(Math.max(0, this.limit - (verdict.counts[key] ?? 0))));
    if (verdict.allowed) return true;
    throw new ApiError(
      HttpStatus.TOO_MANY_REQUESTS,
      'RATE_LIMITED',
      `more than ${this.limit} requests per minute; retry after ${verdict.retryAfterSeconds} s`,
      undefined,
      {
        retryAfterSeconds: verdict.retryAfterSeconds,
      },
    );
  }
}

/** The merchant whose key authenticated the request. */
export const CurrentMerchant = createParamDecorator((_: unknown, context: ExecutionContext): KeyHolder => {
  const merchant = context.switchToHttp().getRequest<MerchantRequest>().merchant;
  if (!merchant) throw new Error('CurrentMerchant used on a route without MerchantAuthGuard');
  return merchant;
});
