/** When people work: hours of the day, days of the week, holidays, in one UTC offset. */
export interface BusinessCalendar {
  /** Minutes after local midnight when work starts and stops (0..1440). */
  openMinute: number;
  closeMinute: number;
  /** ISO weekdays that are working days (1 = Monday … 7 = Sunday). */
  workdays: Set<number>;
  /** Local dates (YYYY-MM-DD) that are not working days. */
  holidays: Set<string>;
  /** Local time = UTC + this many minutes. */
  utcOffsetMinutes: number;
}

const DAY = 86_400_000;
const MINUTE = 60_000;

/** Parses "09:00-18:00", "1,2,3,4,5", "2026-10-01,2026-10-02" and an offset. */
export function parseCalendar(hours: string, days: string, holidays: string, utcOffsetMinutes: number): BusinessCalendar {
  const match = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(hours);
  if (!match) throw new Error(`business hours must look like 09:00-18:00, got "${hours}"`);
  const openMinute = Number(match[1]) * 60 + Number(match[2]);
  const closeMinute = Number(match[3]) * 60 + Number(match[4]);
  if (!(openMinute < closeMinute && closeMinute <= 1440)) throw new Error(`business hours must open before they close, got "${hours}"`);
  return {
    openMinute,
    closeMinute,
    workdays: new Set(days.split(',').filter(Boolean).map(Number)),
    holidays: new Set(
      holidays
        .split(',')
        .map((d) => d.trim())
        .filter(Boolean),
    ),
    utcOffsetMinutes,
  };
}

/** Start of the local day containing `t`, as a UTC epoch. */
function localDayStart(t: number, cal: BusinessCalendar): number {
  const local = t + cal.utcOffsetMinutes * MINUTE;
  return local - (local % DAY) - cal.utcOffsetMinutes * MINUTE;
}

function isWorkday(dayStart: number, cal: BusinessCalendar): boolean {
  const local = new Date(dayStart + cal.utcOffsetMinutes * MINUTE);
  const weekday = local.getUTCDay() === 0 ? 7 : local.getUTCDay();
  return cal.workdays.has(weekday) && !cal.holidays.has(local.toISOString().slice(0, 10));
}

/** The instant `minutes` business minutes after `start`. */
export function addBusinessMinutes(start: Date, minutes: number, cal: BusinessCalendar): Date {
  let remaining = minutes * MINUTE;
  let cursor = start.getTime();
  for (let day = 0; day < 3660; day += 1) {
    const dayStart = localDayStart(cursor, cal);
    if (isWorkday(dayStart, cal)) {
      const open = dayStart + cal.openMinute * MINUTE;
      const close = dayStart + cal.closeMinute * MINUTE;
      const from = Math.max(cursor, open);
      if (from < close) {
        if (from + remaining <= close) return new Date(from + remaining);
        remaining -= close - from;
      }
    }
    cursor = dayStart + DAY;
  }
  throw new Error('no business time within ten years: check the calendar');
}

/** Business minutes between two instants (0 when `to` is not after `from`). */
export function businessMinutesBetween(from: Date, to: Date, cal: BusinessCalendar): number {
  let total = 0;
  let cursor = from.getTime();
  const end = to.getTime();
  while (cursor < end) {
    const dayStart = localDayStart(cursor, cal);
    if (isWorkday(dayStart, cal)) {
      const open = dayStart + cal.openMinute * MINUTE;
      const close = dayStart + cal.closeMinute * MINUTE;
      const a = Math.max(cursor, open);
      const b = Math.min(end, close);
      if (b > a) total += b - a;
    }
    cursor = dayStart + DAY;
  }
  return total / MINUTE;
}
