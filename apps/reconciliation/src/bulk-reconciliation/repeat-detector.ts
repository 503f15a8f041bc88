/**
 * Remembers 64-bit fingerprints of the keys it has seen (8 bytes a key, not the keys) and
 * says whether a key may have been seen before. A "yes" can be wrong, rarely (two keys
 * with one fingerprint); a "no" never is. Lets an import spot repeated payment references
 * and orders with more than one row while streaming, so the database only looks closely
 * at those.
 */
export class RepeatDetector {
  private slots: Uint32Array;
  private mask: number;
  private size = 0;

  constructor(initialCapacity = 1 << 16) {
    let capacity = 1;
    while (capacity < initialCapacity * 2) capacity <<= 1;
    this.slots = new Uint32Array(capacity * 2);
    this.mask = capacity - 1;
  }

  /** Records the key; true when its fingerprint was already there. */
  seen(key: string): boolean {
    // Two independent 32-bit FNV-1a style hashes; the first is never 0, which marks an empty slot.
    let a = 0x811c9dc5;
    let b = 0x01000193;
    for (let i = 0; i < key.length; i += 1) {
      const c = key.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
    }
    a = (a | 1) >>> 0;
    b >>>= 0;
    return this.insert(a, b);
  }

  /** As `seen`, for a key held as bytes; an ASCII key has the fingerprint of its string. */
  seenBytes(bytes: Uint8Array, start: number, end: number): boolean {
    let a = 0x811c9dc5;
    let b = 0x01000193;
    for (let i = start; i < end; i += 1) {
      const c = bytes[i];
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
    }
    a = (a | 1) >>> 0;
    b >>>= 0;
    return this.insert(a, b);
  }

  private insert(a: number, b: number): boolean {
    const slots = this.slots;
    let i = (a ^ (b >>> 7)) & this.mask;
    for (;;) {
      const at = i * 2;
      const here = slots[at];
      if (here === 0) {
        slots[at] = a;
        slots[at + 1] = b;
        this.size += 1;
        if (this.size * 2 > this.mask + 1) this.grow();
        return false;
      }
      if (here === a && slots[at + 1] === b) return true;
      i = (i + 1) & this.mask;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    this.mask = this.slots.length / 2 - 1;
    this.size = 0;
    for (let at = 0; at < old.length; at += 2) if (old[at] !== 0) this.insert(old[at], old[at + 1]);
  }
}
