import { HttpStatus } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiError } from './api-error.js';
import { CHANNEL_CLIENT_KEYS, hashBearerKey, presentedKey } from './bearer-key.js';

/** The shop's channel client that calls on a buyer's behalf. */
export interface ChannelCaller {
  clientId: string;
  clientName: string;
  keyId: string;
}

type ChannelRequest = Request & { channel?: ChannelCaller };

/**
 * Checks the channel client key a request presents (`Authorization: Bearer pt_chan_…`)
 * with `lookup` (by the key's SHA-256), attaches the caller to the request and returns
 * it. Unknown, revoked and malformed keys get the same 401.
 */
export async function authenticateChannel(req: Request, res: Response, lookup: (keyHash: string) => Promise<ChannelCaller | null>): Promise<ChannelCaller> {
  const presented = presentedKey(req);
  const caller = presented && CHANNEL_CLIENT_KEYS.looksLike(presented) ? await lookup(hashBearerKey(presented)) : null;
  if (!caller) {
    res.setHeader('WWW-Authenticate', 'Bearer realm="channel"');
    throw new ApiError(HttpStatus.UNAUTHORIZED, 'UNAUTHORIZED', 'a valid channel client key is required: Authorization: Bearer <key>');
  }
  (req as ChannelRequest).channel = caller;
  return caller;
}

/** The channel client of the current request (after a guard that called authenticateChannel). */
export function channelOf(req: Request): ChannelCaller {
  const channel = (req as ChannelRequest).channel;
  if (!channel) throw new Error('channelOf needs a route behind a channel client guard');
  return channel;
}
