import { createHash, randomBytes } from 'node:crypto';
import type { Request } from 'express';

export interface NewBearerKey {
  /** Shown to the caller once, never stored. */
  secret: string;
  /** What is stored: sha256 of the secret, hex. High-entropy keys need no slow hash. */
  hash: string;
  /** The first characters, stored so people can tell their keys apart. */
  prefix: string;
}

/**
 * A family of high-entropy bearer keys: a fixed prefix saying what the key is for,
 * followed by 32 random bytes in base64url. Only the SHA-256 is ever stored.
 */
export class BearerKeyKind {
  private readonly shape: RegExp;

  constructor(readonly prefix: string) {
    this.shape = new RegExp(`^${prefix}[A-Za-z0-9_-]{43}$`);
  }

  generate(): NewBearerKey {
    const secret = `${this.prefix}${randomBytes(32).toString('base64url')}`;
    return { secret, hash: hashBearerKey(secret), prefix: secret.slice(0, this.prefix.length + 4) };
  }

  /** Cheap shape check before touching the database. */
  looksLike(value: string): boolean {
    return this.shape.test(value);
  }
}

export function hashBearerKey(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The key a request presents: `Authorization: Bearer <key>`, else the fallback header. */
export function presentedKey(req: Request, fallbackHeader?: string): string | undefined {
  const authorization = req.header('authorization');
  if (authorization?.startsWith('Bearer ')) return authorization.slice(7).trim();
  return (fallbackHeader ? req.header(fallbackHeader)?.trim() : undefined) || undefined;
}

/** Merchants' settlement API keys. */
export const MERCHANT_API_KEYS = new BearerKeyKind('pt_live_');
/** Keys of the shop's channels (help center, chat bot, phone desk) that call on a buyer's behalf. */
export const CHANNEL_CLIENT_KEYS = new BearerKeyKind('pt_chan_');
