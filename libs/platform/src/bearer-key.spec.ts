import { CHANNEL_CLIENT_KEYS, MERCHANT_API_KEYS, hashBearerKey } from './bearer-key.js';

describe('bearer keys', () => {
  it('are random, prefixed, and stored only as a hash', () => {
    const a = MERCHANT_API_KEYS.generate();
    const b = MERCHANT_API_KEYS.generate();
    expect(a.secret).toMatch(/^pt_live_[A-Za-z0-9_-]{43}$/);
    expect(a.secret).not.toBe(b.secret);
    expect(a.hash).toBe(hashBearerKey(a.secret));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.hash).not.toContain(a.secret.slice(8));
    expect(a.prefix).toBe(a.secret.slice(0, 12));
    expect(MERCHANT_API_KEYS.looksLike(a.secret)).toBe(true);
  });

  it.each(['', 'pt_live_short', `pt_test_${'a'.repeat(43)}`, `pt_live_${'a'.repeat(42)}!`])('refuses the shape of %p', (value) => {
    expect(MERCHANT_API_KEYS.looksLike(value)).toBe(false);
  });

  it('keeps the kinds apart: a merchant key is not a channel key', () => {
    const channel = CHANNEL_CLIENT_KEYS.generate();
    expect(channel.secret).toMatch(/^pt_chan_/);
    expect(CHANNEL_CLIENT_KEYS.looksLike(channel.secret)).toBe(true);
    expect(MERCHANT_API_KEYS.looksLike(channel.secret)).toBe(false);
    expect(CHANNEL_CLIENT_KEYS.looksLike(MERCHANT_API_KEYS.generate().secret)).toBe(false);
  });
});
