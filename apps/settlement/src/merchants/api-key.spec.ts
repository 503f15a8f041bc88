import { generateApiKey, hashApiKey, looksLikeApiKey } from './api-key.js';

describe('API keys', () => {
  it('are random, prefixed, and stored only as a hash', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.secret).toMatch(/^pt_live_[A-Za-z0-9_-]{43}$/);
    expect(a.secret).not.toBe(b.secret);
    expect(a.hash).toBe(hashApiKey(a.secret));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.hash).not.toContain(a.secret.slice(8));
    expect(a.prefix).toBe(a.secret.slice(0, 12));
    expect(looksLikeApiKey(a.secret)).toBe(true);
  });

  it.each(['', 'pt_live_short', `pt_test_${'a'.repeat(43)}`, `pt_live_${'a'.repeat(42)}!`])('refuses the shape of %p', (value) => {
    expect(looksLikeApiKey(value)).toBe(false);
  });
});
