import * as chrono from 'chrono-node';
import { parseLooseInteger } from './chinese-numerals.js';
import type { Extracted, PaidAtValue, TextSpan } from './complaint-extraction.js';
import { spanOf } from './normalize.js';
import { instantOf, wallFromKey, wallKey, wallTimeAt, type WallTime } from './zoned-time.js';

interface Candidate {
  start: number;
  end: number;
  /** Set for "N minutes/hours ago": the instant itself. */
  instant?: Date;
  year?: number;
  month?: number;
  day?: number;
  weekday?: number;
  hour?: number;
  minute?: number;
  meridiemKnown: boolean;
  dayOnly?: boolean;
  score: number;
}

const CN_SMALL = '[零〇一二两三四五六七八九十]+';
const AGO_ZH = new RegExp(`(半|\\d+|${CN_SMALL})\\s?个?\\s?(半)?\\s?(小时|钟头|分钟|天)(半)?\\s?(?:之|以)?前`, 'g');
const NUMERIC_DATE =
  /(?<![\d.:])(?:(\d{4}|\d{2})\s?[-/.年]\s?)?(\d{1,2})\s?([-/.月])\s?(\d{1,2})(日|号)?(?:\s?(?:的)?\s?(上午|下午|晚上|凌晨|中午|早上|傍晚|夜里)?\s?(\d{1,2})(?:[:：](\d{2})|点(?:(\d{1,2})分?|半)?))?(?![\d%]|\s?(?:元|块|小时|个|天|倍|折))/g;
const DAY_OF_MONTH = new RegExp(
  `(?<![\\d月/.\\-年零〇一二两三四五六七八九十])(\\d{1,2}|${CN_SMALL})(号|日)(?![线楼房店])(?:\\s?(?:的)?\\s?(上午|下午|晚上|凌晨|中午|早上|傍晚|夜里)?\\s?(\\d{1,2}|${CN_SMALL})\\s?(?:[:：]|点)(半|\\d{1,2}(?![\\d.元块])|${CN_SMALL}(?![元块]))?分?)?`,
  'g',
);
const CLOCK = new RegExp(
  `(?<![\\d:.])(上午|下午|晚上|凌晨|中午|早上|傍晚|夜里)?\\s?(\\d{1,2}|${CN_SMALL})\\s?点(半|(?:\\d{1,2}|${CN_SMALL})分?)?(?![\\d元块])`,
  'g',
);
// Days buyers name by their fixed-date festival (lunar ones such as 春节 move, and are not read).
const HOLIDAYS: Record<string, [number, number]> = {
  元旦: [1, 1],
  情人节: [2, 14],
  五一: [5, 1],
  劳动节: [5, 1],
  国庆: [10, 1],
  国庆节: [10, 1],
  双十一: [11, 11],
  双11: [11, 11],
  双十二: [12, 12],
  双12: [12, 12],
  圣诞: [12, 25],
  圣诞节: [12, 25],
};
const HOLIDAY = new RegExp(
  `(元旦|情人节|五一|劳动节|国庆节|国庆|双十一|双11|双十二|双12|圣诞节|圣诞)(?:那天|当天)?(?:\\s?(?:的)?\\s?(上午|下午|晚上|凌晨|中午|早上|傍晚|夜里)?\\s?(\\d{1,2}|${CN_SMALL})\\s?(?:[:：]|点)(半|\\d{1,2}(?![\\d.元块])|${CN_SMALL}(?![元块]))?分?)?`,
  'g',
);
// Festivals of the lunar calendar move every year: a time said next to one has no date this extractor can give.
const LUNAR_FESTIVAL = /七夕|春节|除夕|中秋|端午|元宵|重阳|腊八|大年初|正月|腊月/;
const TRAILING_HOUR = /^\s?(\d{1,2}|[一二三四五六七八九十]+)\s?[点:：](半|\d{1,2})?分?/;
const DISTRACTOR_BEFORE =
  /(截至|截止|截止到|直到|一直到|到了|等到|至今|现在|目前|已经过了|刷新|查询|查看|until|till|as of|by now|now it'?s|it'?s now|checked(?: at)?|still nothing(?: at)?)\s*(?:现在|目前|今天|今日)?\s*$/i;
const DISTRACTOR_AFTER = /^\s*(?:了?(?:还|仍|依然|依旧)|再查|查看|查询|刷新|才发现|发现|都没|也没|还是没|客服|为止|截止|left|and still|still)/i;
const PAY_CUE_AFTER = /^[^,，。;；!！?？]{0,10}(付|支付|充值|充了|冲了|下单|购买|买了|转账|扣款|扣了|paid|pay|bought|purchased|topped|ordered|charged)/i;
const PAY_CUE_BEFORE = /(于|在|是|时间|时间是|时间为|paid|bought|ordered|purchased|on|at)\s*[:：]?\s*$/i;

/**
 * The payment time. chrono-node reads most phrasings; its answers are then corrected where it
 * goes wrong (a date without a year is never in the future, a weekday is the most recent one,
 * a bare hour is the most recent such hour, 晚上12点 is midnight, 去年/two-digit years), and
 * times the buyer names as "until"/"as of" (截至15:30) are not payment times.
 */
export function extractPaidAt(original: string, text: string, now: Date, timeZone: string, taken: TextSpan[]): Extracted<PaidAtValue> | undefined {
  const nowWall = wallTimeAt(now, timeZone);
  const reference = { instant: new Date(wallKey(nowWall) * 60000), timezone: 0 };
  // Ids and amounts are masked out (same length, so offsets hold) before any date is looked for: chrono reads
  // 中午12点 八百元 as 12:08 and the 0111 ending an order number before 八月十日 as the year 111.
  let masked = text;
  for (const t of taken) masked = masked.slice(0, t.start) + '_'.repeat(t.end - t.start) + masked.slice(t.end);
  const lunarFestival = LUNAR_FESTIVAL.test(text);
  const candidates: Candidate[] = [];
  const add = (candidate: Candidate) => {
    if (taken.some((t) => t.start < candidate.end && candidate.start < t.end)) return;
    const clash = candidates.findIndex((c) => c.start < candidate.end && candidate.start < c.end);
    if (clash >= 0) {
      const other = candidates[clash];
      const otherContains = other.start <= candidate.start && other.end >= candidate.end;
      const candidateContains = candidate.start <= other.start && candidate.end >= other.end;
      if (otherContains && !candidateContains) return;
      if (
        !candidateContains &&
        (known(other) > known(candidate) || (known(other) === known(candidate) && other.end - other.start >= candidate.end - candidate.start))
      )
        return;
      candidates.splice(clash, 1);
    }
    candidates.push(candidate);
  };

  for (const m of masked.matchAll(AGO_ZH)) {
    const count = m[1] === '半' ? 0.5 : parseLooseInteger(m[1]);
    if (count === undefined) continue;
    const half = m[2] || m[4] ? 0.5 : 0;
    const unitMinutes = m[3] === '天' ? 1440 : m[3] === '分钟' ? 1 : 60;
    const minutes = Math.round((count + half) * unitMinutes);
    const instant = new Date(now.getTime() - minutes * 60000);
    if (m[3] === '天') {
      const wall = wallTimeAt(instant, timeZone);
      add({ start: m.index, end: m.index + m[0].length, ...wall, meridiemKnown: true, dayOnly: true, score: 0.6 });
    } else add({ start: m.index, end: m.index + m[0].length, instant, meridiemKnown: true, score: 0.85 });
  }
  for (const m of masked.matchAll(NUMERIC_DATE)) {
    const month = Number(m[2]);
    const day = Number(m[4]);
    const separator = m[3];
    if (month < 1 || month > 12 || day < 1 || day > 31) continue;
    const hasTime = m[7] !== undefined;
    if (separator === '.' && !m[1] && !m[5] && !hasTime) continue;
    if (separator === '月' && !hasTime) continue; // chrono reads these
    let year = m[1] ? Number(m[1]) : undefined;
    if (year !== undefined && year < 100) year += 2000;
    const meridiem = m[6];
    const read = hasTime ? hourOfDay(Number(m[7]), meridiem) : undefined;
    const hour = read?.hour;
    const dayOfMonth = read?.nextDay ? day + 1 : day;
    const minute = m[8] !== undefined ? Number(m[8]) : m[9] !== undefined ? Number(m[9]) : m[0].endsWith('半') ? 30 : 0;
    if ((hour !== undefined && hour > 23) || minute > 59) continue;
    add({
      start: m.index,
      end: m.index + m[0].trimEnd().length,
      year,
      month,
      day: dayOfMonth,
      hour,
      minute,
      meridiemKnown: Boolean(meridiem) || (hour ?? 0) >= 12,
      score: 0,
    });
  }
  for (const m of masked.matchAll(DAY_OF_MONTH)) {
    const day = parseLooseInteger(m[1]);
    if (day === undefined || day < 1 || day > 31) continue;
    const spokenHour = m[4] !== undefined ? parseLooseInteger(m[4]) : undefined;
    if (spokenHour !== undefined && spokenHour > 23) continue;
    const read = spokenHour !== undefined ? hourOfDay(spokenHour, m[3]) : undefined;
    const hour = read?.hour;
    const minute = m[5] === '半' ? 30 : m[5] !== undefined ? parseLooseInteger(m[5]) : hour !== undefined ? 0 : undefined;
    // The most recent such day of a month: this month's, or last month's if it is still to come.
    let month = nowWall.month;
    let year = nowWall.year;
    if (day > nowWall.day || (day === nowWall.day && hour !== undefined && hour * 60 + (minute ?? 0) > nowWall.hour * 60 + nowWall.minute)) {
      month -= 1;
      if (month === 0) {
        month = 12;
        year -= 1;
      }
    }
    add({
      start: m.index,
      end: m.index + m[0].trimEnd().length,
      year,
      month,
      day: read?.nextDay ? day + 1 : day,
      hour,
      minute,
      meridiemKnown: Boolean(m[3]) || (hour ?? 0) >= 12,
      score: 0,
    });
  }
  for (const m of masked.matchAll(HOLIDAY)) {
    const [month, day] = HOLIDAYS[m[1]];
    const spokenHour = m[3] !== undefined ? parseLooseInteger(m[3]) : undefined;
    const minute = m[4] === '半' ? 30 : m[4] !== undefined ? parseLooseInteger(m[4]) : spokenHour !== undefined ? 0 : undefined;
    if (spokenHour !== undefined && spokenHour > 23) continue;
    const read = spokenHour !== undefined ? hourOfDay(spokenHour, m[2]) : undefined;
    add({
      start: m.index,
      end: m.index + m[0].trimEnd().length,
      month,
      day: read?.nextDay ? day + 1 : day,
      hour: read?.hour,
      minute,
      meridiemKnown: Boolean(m[2]) || (read?.hour ?? 0) >= 12,
      score: 0,
    });
  }
  for (const m of masked.matchAll(CLOCK)) {
    const spokenHour = parseLooseInteger(m[2]);
    const minute = m[3] === '半' ? 30 : m[3] !== undefined ? parseLooseInteger(m[3].replace('分', '')) : 0;
    if (spokenHour === undefined || spokenHour > 23 || minute === undefined || minute > 59) continue;
    if (!m[1] && m[3] === undefined && !/^\d/.test(m[2])) continue; // 快一点 is not a time
    const read = hourOfDay(spokenHour, m[1]);
    add({ start: m.index, end: m.index + m[0].trimEnd().length, hour: read.hour, minute, meridiemKnown: Boolean(m[1]) || read.hour >= 12, score: 0 });
  }
  for (const parser of [chrono.zh, chrono.en]) {
    for (const result of parser.parse(masked, reference)) {
      const c = result.start;
      const certain = (key: Parameters<typeof c.isCertain>[0]) => c.isCertain(key);
      if (!certain('hour') && !certain('day') && !certain('weekday')) continue;
      // chrono's zh parser takes in blanks and commas before a date: the span starts at the date.
      let start = result.index + (/^[\s,，、]*/.exec(result.text)?.[0].length ?? 0);
      let end = result.index + result.text.trimEnd().length;
      if (/ago|前/i.test(result.text) && certain('hour')) {
        add({ start, end, instant: instantOf(wallFromKey(c.date().getTime() / 60000), timeZone), meridiemKnown: true, score: 0.85 });
        continue;
      }
      let year = certain('year') ? c.get('year')! : undefined;
      if (year !== undefined && year < 100) year += 2000;
      if (!certain('year') && result.text.startsWith('年') && /(去|前)$/.test(text.slice(0, start))) {
        year = nowWall.year - (text[start - 1] === '去' ? 1 : 2);
        start -= 1;
      }
      let hour = certain('hour') ? c.get('hour')! : undefined;
      let trailingMinute: number | undefined;
      // chrono stops at 周五晚上 in 周五晚上8点: read the hour that follows.
      const trailing = hour === undefined ? TRAILING_HOUR.exec(masked.slice(end)) : null;
      if (trailing) {
        const h = parseLooseInteger(trailing[1]);
        if (h !== undefined && h <= 23) {
          hour = h < 12 && /下午|晚上|傍晚|夜里|pm/i.test(result.text) ? h + 12 : h;
          trailingMinute = trailing[2] === '半' ? 30 : trailing[2] ? Number(trailing[2]) : 0;
          end += trailing[0].length;
        }
      }
      let day = certain('day') || certain('weekday') ? c.get('day')! : undefined;
      const month = day !== undefined ? c.get('month')! : undefined;
      if (year === undefined && day !== undefined && certain('year')) year = c.get('year')!;
      if (hour === 12 && NIGHT.test(result.text)) {
        hour = 0;
        day = day !== undefined ? day + 1 : undefined;
      }
      add({
        start,
        end,
        year: year ?? (certain('day') && certain('month') && certain('year') ? c.get('year')! : undefined),
        month,
        day,
        weekday: certain('weekday') ? c.get('weekday')! : undefined,
        hour,
        minute: hour === undefined ? undefined : (trailingMinute ?? c.get('minute') ?? 0),
        meridiemKnown: certain('meridiem') || (hour ?? 0) >= 12 || hour === 0 || /上午|下午|晚上|早上|凌晨|中午|傍晚/.test(result.text),
        score: 0,
      });
    }
  }

  const kept = candidates.filter((candidate) => {
    const before = text.slice(Math.max(0, candidate.start - 16), candidate.start);
    const after = text.slice(candidate.end, candidate.end + 16);
    return !DISTRACTOR_BEFORE.test(before) && !DISTRACTOR_AFTER.test(after);
  });
  // 1月15日 ... 下午4点买的: a date and a time stated apart make one reading.
  const dateOnly = kept.find((c) => !c.instant && !c.dayOnly && c.day !== undefined && c.hour === undefined);
  const timeOnly = kept.find((c) => !c.instant && c.day === undefined && c.hour !== undefined);
  if (dateOnly && timeOnly && !kept.some((c) => c.day !== undefined && c.hour !== undefined)) {
    kept.push({ ...dateOnly, hour: timeOnly.hour, minute: timeOnly.minute, meridiemKnown: timeOnly.meridiemKnown, score: 0.8 });
  }
  let best: { candidate: Candidate; score: number } | undefined;
  for (const candidate of kept) {
    const before = text.slice(Math.max(0, candidate.start - 16), candidate.start);
    const after = text.slice(candidate.end, candidate.end + 16);
    let score = candidate.score || baseScore(candidate);
    if (lunarFestival && candidate.day === undefined && !candidate.instant) score = 0.3;
    if (PAY_CUE_AFTER.test(after) || PAY_CUE_BEFORE.test(before)) score += 0.05;
    if (!best || score > best.score) best = { candidate, score };
  }
  if (!best) return undefined;
  const resolved = resolve(best.candidate, nowWall, timeZone);
  if (!resolved) return undefined;
  let confidence = Math.min(1, best.score);
  if (resolved.instant.getTime() > now.getTime() + 60000) confidence = 0.3;
  return {
    value: { iso: resolved.instant.toISOString(), precision: resolved.precision },
    confidence,
    span: spanOf(original, best.candidate.start, best.candidate.end),
  };
}

const NIGHT = /晚上|夜里|半夜|深夜/;
const AFTERNOON = /下午|晚上|傍晚|夜里|半夜|深夜/;

/** An hour read with its part of the day: 下午3点 is 15:00, 晚上12点 is midnight, at the start of the next day. */
function hourOfDay(hour: number, partOfDay: string | undefined): { hour: number; nextDay: boolean } {
  if (partOfDay && hour === 12 && NIGHT.test(partOfDay)) return { hour: 0, nextDay: true };
  if (partOfDay && hour < 12 && AFTERNOON.test(partOfDay)) return { hour: hour + 12, nextDay: false };
  return { hour, nextDay: false };
}

function known(c: Candidate): number {
  if (c.instant) return 3;
  return (c.day !== undefined ? 2 : 0) + (c.hour !== undefined ? 2 : 0) + (c.year !== undefined ? 1 : 0) + (c.meridiemKnown ? 0.5 : 0);
}

function baseScore(c: Candidate): number {
  if (c.day !== undefined && c.hour !== undefined) return 0.9;
  if (c.hour !== undefined) return 0.65;
  return 0.6;
}

const DAY = 1440;

function resolve(c: Candidate, now: WallTime, timeZone: string): { instant: Date; precision: 'minute' | 'day' } | undefined {
  if (c.instant) return { instant: c.instant, precision: 'minute' };
  const nowKey = wallKey(now);
  const todayKey = wallKey({ ...now, hour: 0, minute: 0 });
  let dayKey: number;
  if (c.day !== undefined && c.month !== undefined) {
    const year = c.year ?? now.year;
    dayKey = dayKeyOf(year, c.month, c.day);
    const minuteOfDay = (c.hour ?? 0) * 60 + (c.minute ?? 0);
    if (c.weekday !== undefined) {
      // A weekday is the most recent such day (chrono may give 周五 the coming Friday, or a day that is no Friday).
      if (new Date(dayKey * 60000).getUTCDay() !== c.weekday) dayKey = todayKey - ((new Date(todayKey * 60000).getUTCDay() - c.weekday + 7) % 7) * DAY;
      while (dayKey + minuteOfDay > nowKey) dayKey -= 7 * DAY;
    } else if (c.year === undefined && dayKey + minuteOfDay > nowKey) {
      // A date without a year is the most recent one: never in the future.
      dayKey = dayKeyOf(year - 1, c.month, c.day);
    }
  } else {
    if (c.hour === undefined) return undefined;
    dayKey = todayKey;
  }
  if (c.hour === undefined || c.dayOnly) return { instant: instantOf(wallFromKey(dayKey), timeZone), precision: 'day' };
  const minuteOfDay = c.hour * 60 + (c.minute ?? 0);
  if (c.day === undefined) {
    // A bare hour is the most recent such hour: 3点 said at 16:00 is 15:00 today, said at 09:00 it is 03:00.
    const options = [dayKey + minuteOfDay, dayKey - DAY + minuteOfDay];
    if (!c.meridiemKnown && c.hour < 12) options.push(dayKey + minuteOfDay + 720, dayKey - DAY + minuteOfDay + 720);
    const past = options.filter((key) => key <= nowKey).sort((a, b) => b - a);
    return { instant: instantOf(wallFromKey(past[0]), timeZone), precision: 'minute' };
  }
  return { instant: instantOf(wallFromKey(dayKey + minuteOfDay), timeZone), precision: 'minute' };
}

function dayKeyOf(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / 60000;
}
