const FIXED_OFFSET = /^(Z|([+-])(0\d|1[0-4]):([0-5]\d))$/;
const DAY_MS = 86_400_000;

/**
 * Where statement days and the schedule are read: an IANA zone (`Asia/Shanghai`, with its
 * daylight-saving rules) or a fixed offset from UTC (`+08:00`, `Z`).
 */
export type TimeZone = { kind: 'iana'; name: string; formatter: Intl.DateTimeFormat } | { kind: 'fixed'; name: string; offsetMinutes: number };

/** Reads RECON_TIME_ZONE; `undefined` when it is neither a fixed offset nor a zone this Node.js knows. */
export function parseTimeZone(text: string): TimeZone | undefined {
  const fixed = FIXED_OFFSET.exec(text);
  if (fixed) {
    const minutes = fixed[1] === 'Z' ? 0 : Number(fixed[3]) * 60 + Number(fixed[4]);
    return { kind: 'fixed', name: text, offsetMinutes: fixed[2] === '-' ? -minutes : minutes };
  }
  // Intl accepts a few non-zone words and offsets of its own; only area/location names and UTC are meant here.
  if (!/^([A-Za-z_]+(\/[A-Za-z0-9_+-]+)+|UTC)$/.test(text)) return undefined;
  try {
    const formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: text,
      timeZoneName: 'longOffset',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hourCycle: 'h23',
    });
    return { kind: 'iana', name: text, formatter };
  } catch {
    return undefined;
  }
}

/** Minutes east of UTC that the zone's clocks show at `instantMs`. */
export function offsetAt(zone: TimeZone, instantMs: number): number {
  if (zone.kind === 'fixed') return zone.offsetMinutes;
  const name = zone.formatter.formatToParts(instantMs).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

/** The calendar date (YYYY-MM-DD) that the zone's clocks show at `instantMs`. */
export function localDate(zone: TimeZone, instantMs: number): string {
  return new Date(instantMs + offsetAt(zone, instantMs) * 60_000).toISOString().slice(0, 10);
}

/** The calendar date `days` after `date` (YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The first instant of a calendar date in the zone: its midnight, or, on a day whose
 * midnight the clocks skip (a daylight-saving change at 00:00), the end of the skip.
 */
export function startOfDay(zone: TimeZone, date: string): Date {
  const wallMidnight = Date.parse(`${date}T00:00:00Z`);
  // The offset can only be the one of the day before or of the day after (one change at most).
  const candidates = [offsetAt(zone, wallMidnight - DAY_MS), offsetAt(zone, wallMidnight + DAY_MS)]
    .map((offset) => wallMidnight - offset * 60_000)
    .filter((instant) => localDate(zone, instant) === date);
  return new Date(candidates.length > 0 ? Math.min(...candidates) : wallMidnight - offsetAt(zone, wallMidnight) * 60_000);
}
