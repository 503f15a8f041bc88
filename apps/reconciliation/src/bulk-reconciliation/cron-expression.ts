import { ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
}

const FIELDS: FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

export class CronSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CronSyntaxError';
  }
}

function value(text: string, spec: FieldSpec): number {
  const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  const n = named >= 0 ? named + (spec.min === 1 ? 1 : 0) : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < spec.min || n > spec.max) throw new CronSyntaxError(`${spec.name}: "${text}" is not a value from ${spec.min} to ${spec.max}`);
  return n;
}

function parseField(text: string, spec: FieldSpec): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText, extra] = part.split('/');
    if (extra !== undefined || range === undefined || range === '') throw new CronSyntaxError(`${spec.name}: "${part}" is not a value, range or step`);
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new CronSyntaxError(`${spec.name}: step "${stepText}" must be a positive whole number`);
    let from: number;
    let to: number;
    if (range === '*') {
      from = spec.min;
      to = spec.max;
    } else if (range.includes('-')) {
      const [a, b] = range.split('-');
      from = value(a!, spec);
      to = value(b!, spec);
      if (from > to) throw new CronSyntaxError(`${spec.name}: range "${range}" runs backwards`);
    } else {
      from = value(range, spec);
      to = stepText === undefined ? from : spec.max;
    }
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

/**
 * A five-field cron expression (minute hour day-of-month month day-of-week) with `*`,
 * lists, ranges, steps, month and weekday names, and the @daily-style shortcuts. As in
 * Vixie cron, when both day fields are restricted a day matching either one fires.
 */
export class CronExpression {
  private constructor(
    readonly source: string,
    private readonly minutes: Set<number>,
    private readonly hours: Set<number>,
    private readonly days: Set<number>,
    private readonly months: Set<number>,
    private readonly weekdays: Set<number>,
    private readonly dayRestricted: boolean,
    private readonly weekdayRestricted: boolean,
  ) {}

  static parse(text: string): CronExpression {
    const expanded = MACROS[text.trim().toLowerCase()] ?? text.trim();
    const parts = expanded.split(/\s+/);
    if (parts.length !== 5) throw new CronSyntaxError(`expected 5 fields (minute hour day-of-month month day-of-week), found ${parts.length}`);
    const sets = parts.map((p, i) => parseField(p, FIELDS[i]!));
    const weekdays = sets[4]!;
    if (weekdays.has(7)) weekdays.add(0);
    return new CronExpression(text, sets[0]!, sets[1]!, sets[2]!, sets[3]!, weekdays, parts[2] !== '*', parts[4] !== '*');
  }

  /** The first time strictly after `after` that matches, reading the fields in the given UTC offset. */
  next(after: Date, utcOffsetMinutes = 0): Date {
    const offsetMs = utcOffsetMinutes * 60_000;
    // Work in "wall clock" milliseconds: UTC fields of this value are the local fields.
    let t = Math.floor((after.getTime() + offsetMs) / 60_000) * 60_000 + 60_000;
    const limit = t + 5 * 366 * 86_400_000;
    while (t < limit) {
      const d = new Date(t);
      if (!this.months.has(d.getUTCMonth() + 1)) {
        t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
        continue;
      }
      if (!this.dayMatches(d)) {
        t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
        continue;
      }
      if (!this.hours.has(d.getUTCHours())) {
        t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() + 1);
        continue;
      }
      if (!this.minutes.has(d.getUTCMinutes())) {
        t += 60_000;
        continue;
      }
      return new Date(t - offsetMs);
    }
    throw new CronSyntaxError(`"${this.source}" never fires`);
  }

  private dayMatches(d: Date): boolean {
    const dom = this.days.has(d.getUTCDate());
    const dow = this.weekdays.has(d.getUTCDay());
    if (this.dayRestricted && this.weekdayRestricted) return dom || dow;
    if (this.dayRestricted) return dom;
    if (this.weekdayRestricted) return dow;
    return true;
  }
}

/** Minutes east of UTC of an offset such as +08:00 or Z. */
export function offsetMinutes(offset: string): number {
  if (offset === 'Z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  const [h, m] = offset.slice(1).split(':');
  return sign * (Number(h) * 60 + Number(m));
}

@ValidatorConstraint({ name: 'cronExpression' })
export class ValidCronExpression implements ValidatorConstraintInterface {
  private problem = '';

  validate(value: unknown): boolean {
    try {
      CronExpression.parse(String(value)).next(new Date());
      return true;
    } catch (error) {
      this.problem = (error as Error).message;
      return false;
    }
  }

  defaultMessage(): string {
    return `RECON_SCHEDULE_CRON is not a cron expression: ${this.problem}`;
  }
}
