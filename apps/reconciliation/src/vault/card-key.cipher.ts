import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export interface SealedSecret {
  ciphertext: Buffer;
  iv: Buffer;
  authTag: Buffer;
  keyId: string;
}

/**
 * AES-256-GCM for card-key secrets. The key id travels with each ciphertext so keys
 * can rotate: old rows stay readable while new ones use the active key.
 */
export class CardKeyCipher {
  private readonly keys = new Map<string, Buffer>();

  constructor(
    private readonly activeKeyId: string,
    keys: Record<string, string>,
  ) {
    for (const [id, base64] of Object.entries(keys)) {
      const key = Buffer.from(base64, 'base64');
      if (key.length !== 32) throw new Error(`vault key ${id} must be 32 bytes`);
      this.keys.set(id, key);
    }
    if (!this.keys.has(activeKeyId)) throw new Error(`active vault key ${activeKeyId} is not configured`);
  }

  seal(secret: string, associatedData: string): SealedSecret {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.activeKeyId)!, iv);
    cipher.setAAD(Buffer.from(associatedData));
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return { ciphertext, iv, authTag: cipher.getAuthTag(), keyId: this.activeKeyId };
  }

  open(sealed: SealedSecret, associatedData: string): string {
    const key = this.keys.get(sealed.keyId);
    if (!key) throw new Error(`vault key ${sealed.keyId} is not configured`);
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv);
    decipher.setAAD(Buffer.from(associatedData));
    decipher.setAuthTag(sealed.authTag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
  }

  /** Keyed fingerprint used to spot duplicates without storing the secret in clear (re-computed on rotation). */
  fingerprint(sku: string, secret: string): string {
    return createHash('sha256').update(this.keys.get(this.activeKeyId)!).update(`\0${sku}\0${secret}`).digest('hex');
  }
}

/** What may be shown of a secret: its last four characters, and nothing of a short one. */
export function maskedHint(secret: string): string {
  return secret.length >= 12 ? `****${secret.slice(-4)}` : '****';
}
