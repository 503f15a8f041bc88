import fs from 'node:fs';
import { isCalendarDate } from '@pt/contracts';

const DAY_MS = 86_400_000;

/** When each channel pays out: T+N business days after clearing, N per channel. */
export interface SettlementPolicy {
  daysByChannel: ReadonlyMap<string, number>;
  defaultDays: number;
  /** Bank holidays, as YYYY-MM-DD in the calendar's time zone. */
  holidays: ReadonlySet<string>;
  /** Weekend days that are working days (make-up days after a holiday week). */
  workingWeekends: ReadonlySet<string>;
  /** Offset of the bank calendar from UTC, in minutes (e.g. 480 for +08:00). */
  utcOffsetMinutes: number;
}

/** The calendar date (YYYY-MM-DD) of an instant, in a calendar `utcOffsetMinutes` from UTC. */
export function calendarDate(at: Date, utcOffsetMinutes: number): string {
  return new Date(at.getTime() + utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** True when banks pay out on that date: a weekday that is not a holiday, or a make-up working weekend. */
export function isBusinessDay(date: string, policy: Pick<SettlementPolicy, 'holidays' | 'workingWeekends'>): boolean {
  if (policy.workingWeekends.has(date)) return true;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !policy.holidays.has(date);
}

/** How many business days after clearing a channel settles. */
export function settlementDays(channel: string, policy: Pick<SettlementPolicy, 'daysByChannel' | 'defaultDays'>): number {
  return policy.daysByChannel.get(channel.toLowerCase()) ?? policy.defaultDays;
}

/**
 * The date a payment cleared at `clearedAt` on `channel` is expected to reach the
 * merchant's account: the N-th business day after the clearing date (T+N), skipping
 * weekends and holidays. T+0 on a non-business day moves to the next business day.
 */
export function expectedSettlementDate(clearedAt: Date, channel: string, policy: SettlementPolicy): string {
  let date = calendarDate(clearedAt, policy.utcOffsetMinutes);
  let remaining = settlementDays(channel, policy);
  if (remaining === 0) {
    // A same-day channel still cannot pay out on a day the banks are closed.
    for (let guard = 0; !isBusinessDay(date, policy) && guard < 3660; guard += 1) date = addDays(date, 1);
    return date;
  }
  for (let guard = 0; remaining > 0 && guard < 3660; guard += 1) {
    date = addDays(date, 1);
    if (isBusinessDay(date, policy)) remaining -= 1;
  }
  return date;
}

/**
 * Parses "alipay:1,wechat:1,unionpay:2,default:1". Returns the problems found instead
 * when the text is malformed.
 */
export function parseDaysByChannel(text: string): { daysByChannel: Map<string, number>; defaultDays: number } | { problem: string } {
  const daysByChannel = new Map<string, number>();
  let defaultDays = 1;
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^([A-Za-z0-9_.-]{1,32}):(\d{1,2})$/.exec(part);
    if (!match) return { problem: `"${part}" is not channel:days (e.g. unionpay:2)` };
    const [, channel, days] = match;
    if (channel.toLowerCase() === 'default') defaultDays = Number(days);
    else daysByChannel.set(channel.toLowerCase(), Number(days));
  }
  return { daysByChannel, defaultDays };
}

/**
 * Reads a list of dates given inline ("2026-10-01,2026-10-02") or as the path of a file
 * holding dates separated by commas, spaces or new lines (`#` starts a comment).
 */
export function parseDateList(value: string): { dates: Set<string> } | { problem: string } {
  const trimmed = value.trim();
  if (trimmed === '') return { dates: new Set() };
  let text = trimmed;
  if (!/^\d{4}-/.test(trimmed)) {
    try {
      text = fs.readFileSync(trimmed, 'utf8');
    } catch (error) {
      return {
        problem: `cannot read the file ${trimmed} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); give dates as YYYY-MM-DD,YYYY-MM-DD or the path of a readable file`,
      };
    }
  }
  const tokens = text
    .split('\n')
    .map((line) => line.replace(/#.*$/, ''))
    .join(' ')
    .split(/[\s,]+/)
    .filter(Boolean);
  const bad = tokens.filter((t) => !isCalendarDate(t));
  if (bad.length > 0) return { problem: `not a YYYY-MM-DD date: ${bad.slice(0, 3).join(', ')}` };
  return { dates: new Set(tokens) };
}

/** "+08:00" → 480; undefined when malformed. */
export function parseUtcOffset(text: string): number | undefined {
  const match = /^([+-])(\d{2}):(\d{2})$/.exec(text);
  if (!match) return undefined;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  if (Number(match[2]) > 14 || Number(match[3]) > 59) return undefined;
  return match[1] === '-' ? -minutes : minutes;
}
