import { randomBytes } from 'node:crypto';
import { CardKeyCipher, maskedHint } from './card-key.cipher.js';

describe('CardKeyCipher', () => {
  const k1 = randomBytes(32).toString('base64');
  const k2 = randomBytes(32).toString('base64');

  it('seals with the active key and opens with the key named in the row', () => {
    const old = new CardKeyCipher('k1', { k1 });
    const sealed = old.seal('ABCD-EFGH-1234', 'row-1');
    expect(sealed.keyId).toBe('k1');
    expect(sealed.ciphertext.toString('utf8')).not.toContain('ABCD');
    const rotated = new CardKeyCipher('k2', { k1, k2 });
    expect(rotated.open(sealed, 'row-1')).toBe('ABCD-EFGH-1234');
    expect(rotated.seal('x-1234', 'row-2').keyId).toBe('k2');
  });

  it('refuses a ciphertext moved to another row or tampered with', () => {
    const cipher = new CardKeyCipher('k1', { k1 });
    const sealed = cipher.seal('SECRET-9999', 'row-1');
    expect(() => cipher.open(sealed, 'row-2')).toThrow();
    sealed.ciphertext[0] ^= 1;
    expect(() => cipher.open(sealed, 'row-1')).toThrow();
  });

  it('shows only the last four characters', () => {
    expect(maskedHint('ABCD-EFGH-1234')).toBe('****1234');
  });
});
