import { decodeCursor, encodeCursor } from './payment-cursor.js';

describe('payment cursor', () => {
  it('round-trips a position, keeping microseconds', () => {
    const cursor = { at: '2026-11-21T10:00:00.123456Z', ref: 'PAY-ÄÖ,1' };
    const token = encodeCursor(cursor);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(token)).toEqual(cursor);
  });

  it.each([
    ['not base64url', 'abc$%'],
    ['not JSON', Buffer.from('nope').toString('base64url')],
    ['wrong version', Buffer.from(JSON.stringify({ v: 2, at: '2026-11-21T10:00:00.123456Z', ref: 'P' })).toString('base64url')],
    ['bad time', Buffer.from(JSON.stringify({ v: 1, at: "2026-11-21'; DROP", ref: 'P' })).toString('base64url')],
    ['empty reference', Buffer.from(JSON.stringify({ v: 1, at: '2026-11-21T10:00:00.123456Z', ref: '' })).toString('base64url')],
    ['empty', ''],
  ])('refuses a token that is %s', (_, token) => {
    expect(decodeCursor(token)).toBeUndefined();
  });
});
