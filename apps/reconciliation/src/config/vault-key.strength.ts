import { ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';

/**
 * Refuses vault keys that cannot have come from a random generator: too few distinct
 * bytes (all zeros, a repeated pattern, a short password padded out).
 */
@ValidatorConstraint({ name: 'strongVaultKey' })
export class StrongVaultKey implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string') return false;
    const bytes = Buffer.from(value, 'base64');
    if (bytes.length !== 32) return false;
    return new Set(bytes).size >= 16;
  }

  defaultMessage(): string {
    return 'VAULT_KEY is too weak: use 32 random bytes, e.g. `openssl rand -base64 32`';
  }
}
