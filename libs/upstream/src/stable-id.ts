import { createHash } from 'node:crypto';

/** A UUID derived from a name, so re-running the seed republishes the same event ids. */
export function stableUuid(name: string): string {
  const h = createHash('sha256').update(`payment-triage-simulator:${name}`).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
