import { registerDecorator, type ValidationOptions } from 'class-validator';
import { CURRENCY_PATTERN, isMinorUnits } from './money.js';

/** Amounts in minor units per currency, e.g. a cap or a threshold set per currency. */
export type CurrencyAmounts = Readonly<Record<string, string>>;

/**
 * Reads a per-currency setting such as `CNY:100000,USD:15000`: each entry is an ISO 4217
 * code (three uppercase letters), a colon, and an integer amount in minor units; a
 * currency may appear once. Returns the amounts, or the first problem naming the entry.
 */
export function parseCurrencyAmounts(text: string): { amounts: CurrencyAmounts } | { problem: string } {
  const amounts: Record<string, string> = {};
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    const match = /^([^:]*):(.*)$/.exec(entry);
    if (!match) return { problem: `entry "${entry}" must look like CNY:100000 (currency:amount in minor units)` };
    const [, currency, amount] = match;
    if (!CURRENCY_PATTERN.test(currency)) return { problem: `entry "${entry}": currency "${currency}" must be an ISO 4217 code, three uppercase letters` };
    if (!isMinorUnits(amount))
      return { problem: `entry "${entry}": amount "${entry.slice(currency.length + 1)}" must be an integer amount in minor units, digits only` };
    if (Object.hasOwn(amounts, currency)) return { problem: `entry "${entry}": currency ${currency} is listed more than once` };
    amounts[currency] = amount;
  }
  return { amounts };
}

/** Like parseCurrencyAmounts, for a value already validated at start-up: throws on a problem. */
export function currencyAmounts(name: string, text: string): CurrencyAmounts {
  const parsed = parseCurrencyAmounts(text);
  if ('problem' in parsed) throw new Error(`${name}: ${parsed.problem}`);
  return parsed.amounts;
}

/** A per-currency amount setting, `CNY:100000,USD:15000` (see parseCurrencyAmounts); the message names the bad entry. */
export function IsCurrencyAmounts(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isCurrencyAmounts',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && !('problem' in parseCurrencyAmounts(value)),
        defaultMessage: (args) => {
          const value: unknown = args?.value;
          const parsed = typeof value === 'string' ? parseCurrencyAmounts(value) : { problem: 'must be a string' };
          return `${String(propertyName)} must be a comma-separated list of CURRENCY:amount in minor units, e.g. CNY:100000,USD:15000; ${'problem' in parsed ? parsed.problem : ''}`;
        },
      },
    });
  };
}
