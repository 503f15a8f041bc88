import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { authenticateChannel } from '@pt/platform';
import type { Request, Response } from 'express';
import { ChannelKeyMirrorRepository } from './channel-key-mirror.repository.js';

/**
 * The buyer's routes of reconciliation are called by a registered channel client with
 * the same key as intake's; a key revoked at intake is refused here as soon as the
 * change arrives on access.events.v1.
 */
@Injectable()
export class ChannelClientGuard implements CanActivate {
  constructor(private readonly keys: ChannelKeyMirrorRepository) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    await authenticateChannel(http.getRequest<Request>(), http.getResponse<Response>(), (hash) => this.keys.callerByKeyHash(hash));
    return true;
  }
}
