import { createHash, randomBytes } from 'node:crypto';

const KEY_PREFIX = 'pt_live_';
/** pt_live_ followed by 32 random bytes in base64url (43 characters). */
const KEY_SHAPE = /^pt_live_[A-Za-z0-9_-]{43}$/;

export interface NewApiKey {
  /** Shown to the caller once, never stored. */
  secret: string;
  /** What is stored: sha256 of the secret, hex. High-entropy keys need no slow hash. */
  hash: string;
  /** The first characters, stored so people can tell their keys apart. */
  prefix: string;
}

export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function generateApiKey(): NewApiKey {
  const secret = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { secret, hash: hashApiKey(secret), prefix: secret.slice(0, KEY_PREFIX.length + 4) };
}

/** Cheap shape check before touching the database. */
export function looksLikeApiKey(value: string): boolean {
  return KEY_SHAPE.test(value);
}
