import type { StatementLayout } from './statement-row.js';

const TAB = 9;
const NEWLINE = 10;
const SPACE = 32;
const QUOTE = 34;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const BACKSLASH = 92;
/** Wider records are left to the text path. */
const MAX_PLAIN_FIELDS = 256;

/** Where the key fields of the row just encoded sit in its line. */
export interface KeySpans {
  refStart: number;
  refEnd: number;
  orderStart: number;
  orderEnd: number;
}

// Buffers throughout: one array type keeps the byte loops monomorphic, and fast.
const ascii = (text: string) => Buffer.from(text, 'latin1');
const isAscii = (text: string) => /^[\x20-\x7e]*$/.test(text);

function digitsOnly(bytes: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i += 1) {
    const c = bytes[i];
    if (c < ZERO || c > NINE) return false;
  }
  return true;
}

/** Two digits at `at` as a number (the caller has checked they are digits). */
function twoDigits(bytes: Buffer, at: number): number {
  return (bytes[at] - ZERO) * 10 + (bytes[at + 1] - ZERO);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Encodes the common statement row, all plain ASCII with no quotes, straight from the
 * file's bytes into COPY text, without making strings. It accepts a row only when the
 * text path (`encodeStatementRow`) would accept it and produce the same COPY line; for
 * anything else (a rejection, trimming, escaping, quoted fields, other characters, an
 * unusual time) it declines, and the row goes the text path, which also words the
 * rejection.
 */
export class PlainRowEncoder {
  private readonly bounds: Int32Array;
  private readonly statuses: { word: Buffer; status: Buffer }[];
  private readonly zone: Buffer;
  private readonly defaultCurrency: Buffer;
  private readonly digits = Buffer.alloc(20);

  private constructor(
    private readonly layout: StatementLayout,
    private readonly delimiter: number,
  ) {
    this.bounds = new Int32Array(layout.width + 1);
    this.statuses = [...layout.statuses].filter(([word]) => isAscii(word)).map(([word, status]) => ({ word: ascii(word), status: ascii(status) }));
    const zone = layout.format.timeZone === 'Z' ? '+00:00' : layout.format.timeZone;
    this.zone = ascii(zone);
    this.defaultCurrency = ascii(layout.format.currency);
  }

  /** The encoder for this file's layout, or null when its rows cannot be read as plain bytes. */
  static for(layout: StatementLayout): PlainRowEncoder | null {
    const delimiter = layout.format.delimiter.charCodeAt(0);
    if (layout.format.delimiter.length !== 1 || delimiter >= 128 || layout.width > MAX_PLAIN_FIELDS) return null;
    if (!isAscii(layout.format.currency) || !isAscii(layout.format.timeZone)) return null;
    return new PlainRowEncoder(layout, delimiter);
  }

  /** Room the COPY line of a plain line of this many bytes may need. */
  static room(lineBytes: number): number {
    return lineBytes + 64;
  }

  /**
   * Writes the COPY line of the row held in bytes[start, end) at `out[at]` and returns
   * where it ends, or -1 when the row is not a plain acceptable one (nothing is then
   * taken from what was written past `at`). `out` must have `room(end - start)` bytes free.
   */
  encode(bytes: Buffer, start: number, end: number, line: number, out: Buffer, at: number, keys: KeySpans): number {
    const bounds = this.bounds;
    const width = this.layout.width;
    const delimiter = this.delimiter;
    let fields = 0;
    bounds[0] = start;
    for (let i = start; i < end; i += 1) {
      const c = bytes[i];
      if (c === delimiter) {
        fields += 1;
        if (fields >= width) return -1;
        bounds[fields] = i + 1;
      } else if (c === QUOTE) return -1;
    }
    if (fields + 1 !== width) return -1;
    bounds[width] = end + 1;
    const { layout } = this;
    const refStart = bounds[layout.ref];
    const refEnd = bounds[layout.ref + 1] - 1;
    const orderStart = bounds[layout.order];
    const orderEnd = bounds[layout.order + 1] - 1;
    if (!this.plainKey(bytes, refStart, refEnd, 128) || !this.plainKey(bytes, orderStart, orderEnd, 64)) return -1;
    const status = this.status(bytes, bounds[layout.status], bounds[layout.status + 1] - 1);
    if (status === null) return -1;
    const timeStart = bounds[layout.time];
    if (!this.plainTime(bytes, timeStart, bounds[layout.time + 1] - 1)) return -1;
    let currencyStart = -1;
    if (layout.currency >= 0) {
      currencyStart = bounds[layout.currency]!;
      const length = bounds[layout.currency + 1] - 1 - currencyStart;
      if (length === 0) currencyStart = -1;
      else if (length !== 3 || !isLetter(bytes[currencyStart]) || !isLetter(bytes[currencyStart + 1]) || !isLetter(bytes[currencyStart + 2])) return -1;
    }

    let o = this.writeNumber(out, at, line);
    out[o++] = TAB;
    o = copy(bytes, refStart, refEnd, out, o);
    out[o++] = TAB;
    o = copy(bytes, orderStart, orderEnd, out, o);
    out[o++] = TAB;
    o = this.writeAmount(bytes, bounds[layout.amount], bounds[layout.amount + 1] - 1, out, o);
    if (o < 0) return -1;
    out[o++] = TAB;
    if (currencyStart < 0) o = copy(this.defaultCurrency, 0, 3, out, o);
    else for (let i = currencyStart; i < currencyStart + 3; i += 1) out[o++] = bytes[i] & 0xdf;
    out[o++] = TAB;
    o = copy(status, 0, status.length, out, o);
    out[o++] = TAB;
    o = copy(bytes, timeStart, timeStart + 19, out, o);
    o = copy(this.zone, 0, this.zone.length, out, o);
    out[o++] = NEWLINE;
    keys.refStart = refStart;
    keys.refEnd = refEnd;
    keys.orderStart = orderStart;
    keys.orderEnd = orderEnd;
    return o;
  }

  /** Not empty, not over `maxLength`, printable ASCII without a backslash, nothing to trim. */
  private plainKey(bytes: Buffer, from: number, to: number, maxLength: number): boolean {
    if (to <= from || to - from > maxLength || bytes[from] === SPACE || bytes[to - 1] === SPACE) return false;
    for (let i = from; i < to; i += 1) {
      const c = bytes[i];
      if (c < SPACE || c > 126 || c === BACKSLASH) return false;
    }
    return true;
  }

  private status(bytes: Buffer, from: number, to: number): Buffer | null {
    const length = to - from;
    next: for (const { word, status } of this.statuses) {
      if (word.length !== length) continue;
      for (let i = 0; i < length; i += 1) if (bytes[from + i] !== word[i]) continue next;
      return status;
    }
    return null;
  }

  /** The usual shape, "2026-11-21 10:15:00" (or with a T), a real date and time. */
  private plainTime(bytes: Buffer, from: number, to: number): boolean {
    if (to - from !== 19) return false;
    const t = bytes[from + 10];
    if (bytes[from + 4] !== MINUS || bytes[from + 7] !== MINUS || bytes[from + 13] !== 58 || bytes[from + 16] !== 58 || (t !== SPACE && t !== 84)) return false;
    if (!digitsOnly(bytes, from, from + 4) || !digitsOnly(bytes, from + 5, from + 7) || !digitsOnly(bytes, from + 8, from + 10)) return false;
    if (!digitsOnly(bytes, from + 11, from + 13) || !digitsOnly(bytes, from + 14, from + 16) || !digitsOnly(bytes, from + 17, from + 19)) return false;
    const year = twoDigits(bytes, from) * 100 + twoDigits(bytes, from + 2);
    const month = twoDigits(bytes, from + 5);
    const day = twoDigits(bytes, from + 8);
    if (
      year < 1 ||
      month < 1 ||
      month > 12 ||
      day < 1 ||
      twoDigits(bytes, from + 11) > 23 ||
      twoDigits(bytes, from + 14) > 59 ||
      twoDigits(bytes, from + 17) > 59
    )
      return false;
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]);
  }

  /** Minor units without leading zeros, or -1 for anything but a plain non-negative amount. */
  private writeAmount(bytes: Buffer, from: number, to: number, out: Buffer, at: number): number {
    const { amountUnit, amountScale } = this.layout.format;
    let intEnd = to;
    let fraction = 0;
    if (amountUnit === 'minor') {
      if (to <= from || to - from > 18 || !digitsOnly(bytes, from, to)) return -1;
    } else {
      for (let i = from; i < to; i += 1) {
        if (bytes[i] === DOT) {
          intEnd = i;
          break;
        }
      }
      fraction = to - intEnd - 1;
      if (intEnd === from || intEnd - from > 15 || !digitsOnly(bytes, from, intEnd)) return -1;
      if (intEnd < to && (fraction < 1 || fraction > 4 || fraction > amountScale || !digitsOnly(bytes, intEnd + 1, to))) return -1;
      if (intEnd === to) fraction = 0;
    }
    let o = at;
    let leading = true;
    for (let i = from; i < intEnd; i += 1) {
      const c = bytes[i];
      if (leading && c === ZERO) continue;
      leading = false;
      out[o++] = c;
    }
    if (amountUnit === 'major') {
      for (let i = intEnd + 1; i < intEnd + 1 + fraction; i += 1) {
        const c = bytes[i];
        if (leading && c === ZERO) continue;
        leading = false;
        out[o++] = c;
      }
      for (let i = fraction; i < amountScale; i += 1) if (!leading) out[o++] = ZERO;
    }
    if (leading) out[o++] = ZERO;
    return o;
  }

  private writeNumber(out: Buffer, at: number, value: number): number {
    const digits = this.digits;
    let n = value;
    let count = 0;
    do {
      digits[count++] = ZERO + (n % 10);
      n = Math.floor(n / 10);
    } while (n > 0);
    let o = at;
    while (count > 0) out[o++] = digits[--count]!;
    return o;
  }
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Short copies: a loop beats Buffer#copy's call overhead for the few bytes of a field. */
function copy(from: Buffer, start: number, end: number, out: Buffer, at: number): number {
  let o = at;
  for (let i = start; i < end; i += 1) out[o++] = from[i]!;
  return o;
}
