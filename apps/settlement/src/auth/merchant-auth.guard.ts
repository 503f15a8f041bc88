import { HttpStatus, Inject, Injectable, createParamDecorator, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ApiError, MERCHANT_API_KEYS, SERVICE_CONFIG, hashBearerKey, presentedKey } from '@pt/platform';
import type { Request, Response } from 'express';
import type { SettlementConfig } from '../config/settlement.config.js';
import { MerchantsRepository, type KeyHolder } from '../merchants/merchants.repository.js';
import { TokenBuckets } from './token-bucket.js';

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

/** Per-merchant request rate, after authentication: 429 with Retry-After when over. */
@Injectable()
export class MerchantRateLimitGuard implements CanActivate {
  private readonly buckets: TokenBuckets;
  private readonly limit: number;

  constructor(@Inject(SERVICE_CONFIG) config: SettlementConfig) {
    this.limit = config.SETTLEMENT_RATE_LIMIT_PER_MINUTE;
    this.buckets = new TokenBuckets(this.limit);
  }

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const merchant = http.getRequest<MerchantRequest>().merchant;
    if (!merchant) throw new Error('MerchantRateLimitGuard must run after MerchantAuthGuard');
    const res = http.getResponse<Response>();
    const result = this.buckets.take(merchant.merchantId);
    res.setHeader('X-RateLimit-Limit', String(this.limit));
    if (result.allowed) {
      res.setHeader('X-RateLimit-Remaining', String(result.remaining));
      return true;
    }
    res.setHeader('X-RateLimit-Remaining', '0');
    throw new ApiError(HttpStatus.TOO_MANY_REQUESTS, 'RATE_LIMITED', `more than ${this.limit} requests per minute; retry after ${result.retryAfterSeconds} s`, undefined, {
      retryAfterSeconds: result.retryAfterSeconds,
    });
  }
}

/** The merchant whose key authenticated the request. */
export const CurrentMerchant = createParamDecorator((_: unknown, context: ExecutionContext): KeyHolder => {
  const merchant = context.switchToHttp().getRequest<MerchantRequest>().merchant;
  if (!merchant) throw new Error('CurrentMerchant used on a route without MerchantAuthGuard');
  return merchant;
});
