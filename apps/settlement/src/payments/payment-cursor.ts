/** Position after the last payment of a page: its first-seen time (microseconds) and reference. */
export interface PaymentCursor {
  at: string;
  ref: string;
}

const AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** An opaque, URL-safe token; clients must not build or read it. */
export function encodeCursor(cursor: PaymentCursor): string {
  return Buffer.from(JSON.stringify({ v: 1, at: cursor.at, ref: cursor.ref })).toString('base64url');
}

/** The cursor a token stands for, or undefined when the token was not made by encodeCursor. */
export function decodeCursor(token: string): PaymentCursor | undefined {
  if (!/^[A-Za-z0-9_-]{1,600}$/.test(token)) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { v?: unknown; at?: unknown; ref?: unknown };
    if (parsed.v !== 1 || typeof parsed.at !== 'string' || !AT.test(parsed.at) || typeof parsed.ref !== 'string') return undefined;
    if (parsed.ref.length === 0 || parsed.ref.length > 128) return undefined;
    return { at: parsed.at, ref: parsed.ref };
  } catch {
    return undefined;
  }
}
