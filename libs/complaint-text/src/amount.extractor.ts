import { parseChineseDigits, parseChineseInteger } from './chinese-numerals.js';
import type { AmountValue, Extracted } from './complaint-extraction.js';
import { spanOf } from './normalize.js';

const CN = '[零〇一二两三四五六七八九十百千万]+';
const CN_DIGIT = '[零〇一二两三四五六七八九]';
const NUM = '(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?';
const BEFORE = '(?<![\\dA-Za-z.])';

const PREFIXED = new RegExp(`(US\\$|\\$|¥|RMB|CNY|USD|人民币)\\s?(${NUM})(?![\\d])`, 'gi');
const SUFFIXED = new RegExp(
  `${BEFORE}(${NUM}|${CN}(?:点${CN_DIGIT}+)?)\\s?(块钱|块|元|圆|美元|美金|刀|rmb|cny|yuan|usd|dollars?|bucks)` +
    `(?:\\s?(\\d|${CN_DIGIT})\\s?(毛|角)?)?(?:\\s?(\\d|${CN_DIGIT})\\s?分)?(?![A-Za-z])`,
  'gid',
);
const MAO_ONLY = new RegExp(`${BEFORE}(\\d|${CN_DIGIT})\\s?(毛|角)(?:钱)?`, 'g');
const PAY_VERB =
  '(?:充值了?|充了|冲了|支付了?(?!宝)|付了|付款|花了|扣了|扣款|转了|买了|购买了?|金额(?:是|为)?|paid|charged|topped up|spent|payment of|amount(?: of| was| is)?)';
const BARE_AFTER_VERB = new RegExp(`${PAY_VERB}[\\s:：]?(${NUM}|${CN}(?:点${CN_DIGIT}+)?)(?![\\d:%A-Za-z次个张份天小号点年月日])`, 'gi');
const BALANCE_BEFORE = /(余额|还剩|剩余|剩下|到账了?|只到|只有|balance|remaining|left|面值)[^,，。.;；!！?？]{0,6}$/i;
// What the buyer actually paid outranks a face value or a unit price: 买了2张50元的卡，共付了100元.
const TOTAL_BEFORE = /(共付|总共付|合计|实付|实际支付|paid in total|total paid|in total)[^,，。;；]{0,4}$/i;
const PAY_BEFORE = new RegExp(`${PAY_VERB}[^,，。;；]{0,8}$`, 'i');

interface Candidate extends Extracted<AmountValue> {
  order: number;
}

/** The paid amount: the best-placed money expression, in integer minor units, never a float. */
export function extractAmount(original: string, text: string, defaultCurrency: string): Extracted<AmountValue> | undefined {
  const candidates: Candidate[] = [];
  const add = (start: number, end: number, minor: bigint | undefined, currency: string, base: number) => {
    if (minor === undefined || minor <= 0n) return;
    if (candidates.some((c) => c.span.start < end && start < c.span.end)) return;
    const before = text.slice(Math.max(0, start - 14), start);
    let confidence = base;
    if (BALANCE_BEFORE.test(before)) confidence = 0.3;
    else if (TOTAL_BEFORE.test(before)) confidence = 1;
    else if (PAY_BEFORE.test(before)) confidence = Math.min(1, confidence + 0.05);
    candidates.push({ value: { amountMinor: minor.toString(), currency }, confidence, span: spanOf(original, start, end), order: start });
  };

  for (const m of text.matchAll(PREFIXED)) {
    const symbol = m[1].toUpperCase();
    const currency = symbol === '$' || symbol === 'US$' || symbol === 'USD' ? 'USD' : 'CNY';
    add(m.index, m.index + m[0].length, toMinor(m[2]), currency, 0.9);
  }
  for (const m of text.matchAll(SUFFIXED)) {
    const unit = m[2].toLowerCase();
    const currency = ['美元', '美金', '刀', 'usd', 'dollar', 'dollars', 'bucks'].includes(unit) ? 'USD' : 'CNY';
    const jiaoAllowed =
      m[3] !== undefined &&
      (m[4] !== undefined
        ? ['块钱', '块', '元', '圆'].includes(unit)
        : (unit === '块' || unit === '块钱') && !/^\s?(?:[\d:]|个|小时|点|分钟|天|次|号)/.test(text.slice(m.indices![3][1])));
    let minor = toMinor(m[1]);
    let end = m.indices![2][1];
    if (minor !== undefined && jiaoAllowed) {
      minor += BigInt(digitOf(m[3])) * 10n;
      end = m.indices![4]?.[1] ?? m.indices![3][1];
      if (m[5] !== undefined) {
        minor += BigInt(digitOf(m[5]));
        end = m.index + m[0].length;
      }
    }
    add(m.index, end, minor, currency, 0.9);
  }
  for (const m of text.matchAll(MAO_ONLY)) add(m.index, m.index + m[0].length, BigInt(digitOf(m[1])) * 10n, 'CNY', 0.8);
  for (const m of text.matchAll(BARE_AFTER_VERB)) {
    const start = m.index + m[0].length - m[1].length;
    add(start, m.index + m[0].length, toMinor(m[1]), defaultCurrency, /^\d/.test(m[1]) ? 0.7 : 0.65);
  }
  if (candidates.length === 0) return undefined;
  candidates.sort((a, b) => b.confidence - a.confidence || a.order - b.order);
  const { order: _order, ...best } = candidates[0];
  return best;
}

function digitOf(text: string): number {
  return /^\d$/.test(text) ? Number(text) : Number(parseChineseDigits(text) ?? 0);
}

/** An amount in major units (Arabic with thousands commas, or Chinese) to minor units of a two-decimal currency. */
export function toMinor(text: string): bigint | undefined {
  const arabic = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/.exec(text);
  if (arabic) {
    const fraction = arabic[2] ?? '';
    if (fraction.length > 2) return undefined;
    return BigInt(arabic[1].replace(/,/g, '')) * 100n + BigInt((fraction + '00').slice(0, 2));
  }
  const [integerPart, fractionPart] = text.split('点');
  const integer = parseChineseInteger(integerPart);
  if (integer === undefined) return undefined;
  let minor = BigInt(integer) * 100n;
  if (fractionPart !== undefined) {
    const digits = parseChineseDigits(fractionPart);
    if (digits === undefined || digits.length > 2) return undefined;
    minor += BigInt((digits + '00').slice(0, 2));
  }
  return minor;
}
