const DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

export const CN_NUMERAL_CHARS = '零〇一二两三四五六七八九十百千万';

/**
 * A Chinese integer numeral: 一百零五 = 105, 两百 = 200, 十五 = 15, and the spoken short form
 * where a last digit after 百/千/万 stands for the next unit down: 一百五 = 150, 一万二 = 12000.
 * Returns undefined for text that is not such a numeral.
 */
export function parseChineseInteger(text: string): number | undefined {
  if (!text || ![...text].every((ch) => ch in DIGITS || ch in UNITS || ch === '万')) return undefined;
  let total = 0;
  let section = 0;
  let digit: number | undefined;
  let lastUnit = 0;
  let zeroSinceUnit = false;
  let digitsInRow = 0;
  for (const ch of text) {
    if (ch in DIGITS) {
      const d = DIGITS[ch];
      if (d === 0) {
        zeroSinceUnit = true;
        digit = undefined;
        digitsInRow = 0;
        continue;
      }
      digit = digitsInRow > 0 && digit !== undefined ? digit * 10 + d : d;
      digitsInRow += 1;
    } else if (ch === '万') {
      total += (section + (digit ?? 0)) * 10000;
      section = 0;
      digit = undefined;
      lastUnit = 10000;
      zeroSinceUnit = false;
      digitsInRow = 0;
    } else {
      const unit = UNITS[ch];
      section += (digit ?? 1) * unit;
      digit = undefined;
      lastUnit = unit;
      zeroSinceUnit = false;
      digitsInRow = 0;
    }
  }
  if (digit !== undefined) {
    if (lastUnit >= 100 && !zeroSinceUnit && digitsInRow === 1) section += digit * (lastUnit / 10);
    else section += digit;
  }
  return total + section;
}

/** Digits written one by one in Chinese (五, 九九): the fractional part after 点. */
export function parseChineseDigits(text: string): string | undefined {
  let out = '';
  for (const ch of text) {
    if (!(ch in DIGITS)) return undefined;
    out += String(DIGITS[ch]);
  }
  return out || undefined;
}

/** An integer written in Arabic digits or Chinese numerals. */
export function parseLooseInteger(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  return parseChineseInteger(text);
}
