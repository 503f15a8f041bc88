import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { PgRateLimiter } from '@pt/database';
import { ApiError, SERVICE_CONFIG, authenticateChannel } from '@pt/platform';
import type { Request, Response } from 'express';
import type { IntakeConfig } from '../config/intake.config.js';
import { ChannelClientRepository } from './channel-client.repository.js';

/**
 * Buyer-side routes are called by a registered channel client with its key
 * (`Authorization: Bearer pt_chan_…`). Unknown, revoked and malformed keys get the same
 * 401; a client over its request rate gets 429 with Retry-After, counted across replicas.
 */
@Injectable()
export class ChannelClientGuard implements CanActivate {
  constructor(
    private readonly clients: ChannelClientRepository,
    private readonly limiter: PgRateLimiter,
    @Inject(SERVICE_CONFIG) private readonly config: IntakeConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const caller = await authenticateChannel(http.getRequest<Request>(), http.getResponse<Response>(), (hash) => this.clients.callerByKeyHash(hash));
    const verdict = await this.limiter.hit([{ key: `channel:${caller.clientId}`, limit: this.config.REPORT_LIMIT_PER_CLIENT_PER_MINUTE, windowSeconds: 60 }]);
    if (!verdict.allowed) throw ApiError.rateLimited(verdict.retryAfterSeconds, 'this channel client is over its request rate');
    return true;
  }
}
