import { registerDecorator, type ValidationOptions } from 'class-validator';

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * A day that exists on the calendar, written YYYY-MM-DD: `2026-02-28` is one,
 * `2026-02-30`, `2026-13-01` and `yesterday` are not. Decided by arithmetic, so no
 * invalid `Date` is ever built from the text.
 */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = CALENDAR_DATE.exec(value);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const last = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
  return day <= last;
}

/**
 * An ISO 8601 timestamp with an explicit zone (`Z` or `±hh:mm`), on a real calendar
 * day and a real time of day: `2026-11-21T10:15:00Z`, `2026-11-21T18:15+08:00`.
 * A timestamp without a zone is refused, since its instant would depend on the server.
 */
export function isTimestamp(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = TIMESTAMP.exec(value);
  if (!match || !isCalendarDate(match[1])) return false;
  const [hours, minutes, seconds, zoneHours, zoneMinutes] = [match[2], match[3], match[4] ?? '0', match[5] ?? '0', match[6] ?? '0'].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  if (hours > 23 || minutes > 59 || seconds > 59 || zoneHours > 23 || zoneMinutes > 59) return false;
  return !Number.isNaN(new Date(value).getTime());
}

/**
 * Reads a calendar date (as midnight UTC) or a timestamp with a zone as an instant;
 * `undefined` for anything else.
 */
export function parseInstant(value: unknown): Date | undefined {
  if (isCalendarDate(value)) return new Date(`${value}T00:00:00Z`);
  if (isTimestamp(value)) return new Date(value);
  return undefined;
}

/** The list of calendar dates in a comma-separated text; `undefined` if any part is not one. Empty text is an empty list. */
export function parseCalendarDateList(value: unknown): string[] | undefined {
  if (typeof value !== 'string') return undefined;
  const parts = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  return parts.every(isCalendarDate) ? parts : undefined;
}

function checkedBy(
  name: string,
  check: (value: unknown) => boolean,
  defaultMessage: (field: string) => string,
  options?: ValidationOptions,
): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: defaultMessage(String(propertyName)), ...options },
      validator: { validate: check },
    });
  };
}

/** The property is a calendar date, YYYY-MM-DD (see {@link isCalendarDate}). */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return checkedBy('isCalendarDate', isCalendarDate, (field) => `${field} must be a calendar date, YYYY-MM-DD`, options);
}

/** The property is an ISO 8601 timestamp with a time zone (see {@link isTimestamp}). */
export function IsTimestamp(options?: ValidationOptions): PropertyDecorator {
  return checkedBy('isTimestamp', isTimestamp, (field) => `${field} must be an ISO 8601 timestamp with a time zone, e.g. 2026-11-21T10:15:00Z`, options);
}

/** The property is a calendar date (midnight UTC) or a timestamp with a time zone (see {@link parseInstant}). */
export function IsDateOrTimestamp(options?: ValidationOptions): PropertyDecorator {
  return checkedBy(
    'isDateOrTimestamp',
    (value) => parseInstant(value) !== undefined,
    (field) => `${field} must be a date (YYYY-MM-DD, midnight UTC) or an ISO 8601 timestamp with a time zone`,
    options,
  );
}

/** The property is a comma-separated list of calendar dates, possibly empty. */
export function IsCalendarDateList(options?: ValidationOptions): PropertyDecorator {
  return checkedBy(
    'isCalendarDateList',
    (value) => parseCalendarDateList(value) !== undefined,
    (field) => `${field} must be calendar dates, YYYY-MM-DD, separated by commas`,
    options,
  );
}
