import { HttpStatus, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { PgRateLimiter } from '@pt/database';
import { ApiError, SERVICE_CONFIG, presentedKey } from '@pt/platform';
import type { Request, Response } from 'express';
import type { IntakeConfig } from '../config/intake.config.js';
import type { ChannelCaller } from './channel-client.repository.js';
import { ChannelClientsService } from './channel-clients.service.js';

type ChannelRequest = Request & { channel?: ChannelCaller };

/**
 * Buyer-side routes are called by a registered channel client with its key
 * (`Authorization: Bearer pt_chan_…`). Unknown, revoked and malformed keys get the same
 * 401; a client over its request rate gets 429 with Retry-After, counted across replicas.
 */
@Injectable()
export class ChannelClientGuard implements CanActivate {
  constructor(
    private readonly channels: ChannelClientsService,
    private readonly limiter: PgRateLimiter,
    @Inject(SERVICE_CONFIG) private readonly config: IntakeConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<ChannelRequest>();
    const caller = await this.channels.authenticate(presentedKey(req));
    if (!caller) {
      http.getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="channel"');
      throw new ApiError(HttpStatus.UNAUTHORIZED, 'UNAUTHORIZED', 'a valid channel client key is required: Authorization: Bearer <key>');
    }
    const verdict = await this.limiter.hit([{ key: `channel:${caller.clientId}`, limit: this.config.REPORT_LIMIT_PER_CLIENT_PER_MINUTE, windowSeconds: 60 }]);
    if (!verdict.allowed) throw ApiError.rateLimited(verdict.retryAfterSeconds, 'this channel client is over its request rate');
    req.channel = caller;
    return true;
  }
}

/** The channel client of the current request (after ChannelClientGuard). */
export function channelOf(req: Request): ChannelCaller {
  const channel = (req as ChannelRequest).channel;
  if (!channel) throw new Error('channelOf needs a route behind ChannelClientGuard');
  return channel;
}
