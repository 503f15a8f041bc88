/** Keys whose values are secrets and are never written anywhere. */
const SECRET_KEYS = /^(secret|cardSecret|password|currentPassword|newPassword|token|apiKey|api_key|authorization|encryptionKey|ciphertext|privateKey)$/i;
const PHONE_KEYS = /phone/i;

/** Masks a phone number to its last four digits: 13800138000 → *******8000. */
export function maskPhone(value: string): string {
  const digits = value.replace(/\D/g, '');
  if (digits.length <= 4) return '****';
  return `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`;
}

/**
 * A UUID (kept whole: its digit groups joined by dashes would otherwise look like a
 * phone number), or a phone number: eleven to eighteen digits, spaces and dashes.
 */
const UUID_OR_PHONE = /(?<![0-9a-f])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-f])|(?<!\d)\+?\d[\d -]{9,16}\d(?!\d)/gi;
const UUID = /^[0-9a-f]{8}-/i;

/** Masks anything that looks like a phone number inside free text; ids stay readable. */
export function maskPhonesInText(text: string): string {
  return text.replace(UUID_OR_PHONE, (match) => (UUID.test(match) && match.length === 36 ? match : maskPhone(match)));
}

/** Deep copy of a value fit for a log line: secrets removed, phone numbers masked. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[depth]';
  if (typeof value === 'string') return maskPhonesInText(value);
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Error) return { name: value.name, message: maskPhonesInText(value.message) };
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (SECRET_KEYS.test(key)) out[key] = '[redacted]';
      else if (PHONE_KEYS.test(key) && typeof inner === 'string') out[key] = maskPhone(inner);
      else out[key] = redact(inner, depth + 1);
    }
    return out;
  }
  return value;
}
