import { registerDecorator, type ValidationOptions } from 'class-validator';

const MINOR_UNITS = /^(0|[1-9][0-9]{0,17})$/;

/** A non-negative amount in integer minor units written as decimal digits, no sign, no leading zero, at most 18 digits. */
export function isMinorUnits(value: unknown): value is string {
  return typeof value === 'string' && MINOR_UNITS.test(value);
}

/** A non-negative amount in integer minor units, carried as a decimal string (never a float). */
export function IsMinorUnits(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isMinorUnits',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: `${String(propertyName)} must be a non-negative integer amount in minor units, as a string (e.g. "1999")`,
        ...options,
      },
      validator: {
        validate: isMinorUnits,
      },
    });
  };
}

/** ISO 4217 alphabetic code check, shape only. */
export const CURRENCY_PATTERN = /^[A-Z]{3}$/;
