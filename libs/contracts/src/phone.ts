import { createHash } from 'node:crypto';

/** SHA-256 hex of a phone number's last four digits, so the digits never travel or rest in clear. */
export function hashPhoneLast4(last4: string): string {
  return createHash('sha256').update(`phone-last4:${last4}`).digest('hex');
}
