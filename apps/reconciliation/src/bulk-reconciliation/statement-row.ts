import type { ClearingStatus } from '@pt/contracts';
import { StatementFileError } from './csv-record-splitter.js';
import type { StatementColumns, StatementFormat } from '../config/statement-format.js';

/** Why a statement row was not loaded. */
export const REJECTION_REASONS = [
  'FIELD_COUNT',
  'UNTERMINATED_QUOTE',
  'MISSING_PAYMENT_REFERENCE',
  'PAYMENT_REFERENCE_TOO_LONG',
  'MISSING_ORDER_NUMBER',
  'ORDER_NUMBER_TOO_LONG',
  'BAD_AMOUNT',
  'NEGATIVE_AMOUNT',
  'UNKNOWN_STATUS',
  'BAD_TIME',
  'BAD_CURRENCY',
  'DUPLICATE_REFERENCE',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export interface Rejection {
  reason: RejectionReason;
  message: string;
}

/** The keys of the row just encoded, for callers that track repeats. */
export interface RowKeys {
  paymentReference: string;
  orderNumber: string;
}

/** Where the mapped columns sit in this file, learnt from its header line. */
export interface StatementLayout {
  format: StatementFormat;
  width: number;
  ref: number;
  order: number;
  amount: number;
  status: number;
  time: number;
  currency: number;
  statuses: Map<string, ClearingStatus>;
}

/** Reads the header line; a mapped column that is missing refuses the whole file. */
export function layoutFromHeader(format: StatementFormat, header: string[], line: number): StatementLayout {
  const names = header.map((h, i) => (i === 0 ? h.replace(/^\uFEFF/, '') : h).trim());
  const index = (key: keyof StatementColumns): number => {
    const wanted = format.columns[key];
    if (wanted === undefined) return -1;
    const at = names.indexOf(wanted);
    if (at < 0) throw new StatementFileError(line, `the header has no column "${wanted}" (${key} in format ${format.name}); it has: ${names.join(', ')}`);
    return at;
  };
  const statuses = new Map<string, ClearingStatus>();
  for (const [word, status] of Object.entries(format.statusMap)) {
    statuses.set(word, status);
    if (!statuses.has(word.toUpperCase())) statuses.set(word.toUpperCase(), status);
  }
  return {
    format,
    width: names.length,
    ref: index('paymentReference'),
    order: index('orderNumber'),
    amount: index('amount'),
    status: index('status'),
    time: index('time'),
    currency: index('currency'),
    statuses,
  };
}

const DECIMAL = /^(\d{1,15})(?:\.(\d{1,4}))?$/;
const TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|[+-]\d{2}:?\d{2})?$/;
const CURRENCY = /^[A-Z]{3}$/;
const COPY_SPECIAL = /[\\\t\n\r]/;

/** Escapes a value for PostgreSQL's COPY text format. */
function copyText(value: string): string {
  return COPY_SPECIAL.test(value) ? value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : value;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isDigits(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i += 1) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Two digits at `at` as a number (the caller has checked they are digits). */
function twoDigits(text: string, at: number): number {
  return (text.charCodeAt(at) - 48) * 10 + (text.charCodeAt(at + 1) - 48);
}

function validCalendar(year: number, month: number, day: number, hour: number, minute: number, second: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]);
}

function minorUnits(raw: string, format: StatementFormat): string | Rejection {
  if (raw.charCodeAt(0) === 45) return { reason: 'NEGATIVE_AMOUNT', message: `amount "${raw.slice(0, 40)}" is negative` };
  if (format.amountUnit === 'minor') {
    if (raw.length === 0 || raw.length > 18 || !isDigits(raw, 0, raw.length)) {
      return { reason: 'BAD_AMOUNT', message: `amount "${raw.slice(0, 40)}" is not a whole number of minor units` };
    }
    return raw.charCodeAt(0) === 48 && raw.length > 1 ? raw.replace(/^0+(?=\d)/, '') : raw;
  }
  const m = DECIMAL.exec(raw);
  if (!m || (m[2] ?? '').length > format.amountScale) {
    return { reason: 'BAD_AMOUNT', message: `amount "${raw.slice(0, 40)}" is not a decimal amount with at most ${format.amountScale} decimals` };
  }
  return `${m[1]}${(m[2] ?? '').padEnd(format.amountScale, '0')}`.replace(/^0+(?=\d)/, '');
}

/** The format's offset as PostgreSQL reads it. */
function zoneOf(format: StatementFormat): string {
  return format.timeZone === 'Z' ? '+00:00' : format.timeZone;
}

function timestamp(raw: string, format: StatementFormat): string | Rejection {
  // The usual shape, "2026-11-21 10:15:00", checked by position without a regular expression.
  if (
    raw.length === 19 &&
    raw.charCodeAt(4) === 45 &&
    raw.charCodeAt(7) === 45 &&
    raw.charCodeAt(13) === 58 &&
    raw.charCodeAt(16) === 58 &&
    (raw.charCodeAt(10) === 32 || raw.charCodeAt(10) === 84) &&
    isDigits(raw, 0, 4) &&
    isDigits(raw, 5, 7) &&
    isDigits(raw, 8, 10) &&
    isDigits(raw, 11, 13) &&
    isDigits(raw, 14, 16) &&
    isDigits(raw, 17, 19)
  ) {
    const year = twoDigits(raw, 0) * 100 + twoDigits(raw, 2);
    if (validCalendar(year, twoDigits(raw, 5), twoDigits(raw, 8), twoDigits(raw, 11), twoDigits(raw, 14), twoDigits(raw, 17))) return raw + zoneOf(format);
  }
  const m = TIME.exec(raw);
  const bad: Rejection = {
    reason: 'BAD_TIME',
    message: `time "${raw.slice(0, 40)}" is not a date and time such as 2026-11-21 10:15:00 or 2026-11-21T10:15:00+08:00`,
  };
  if (!m) return bad;
  const [, y, mo, d, h, mi, s, fraction, zone] = m;
  if (!validCalendar(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s))) return bad;
  // PostgreSQL reads offsets up to 15:59.
  if (zone !== undefined && zone !== 'Z' && (Number(zone.slice(1, 3)) > 15 || Number(zone.slice(-2)) > 59)) return bad;
  const offset = zone === undefined ? zoneOf(format) : zone === 'Z' ? '+00:00' : zone;
  return `${y}-${mo}-${d} ${h}:${mi}:${s}${fraction ?? ''}${offset}`;
}

/** Trims only when there is something to trim. */
function trimmed(value: string): string {
  return value.length > 0 && (value.charCodeAt(0) <= 32 || value.charCodeAt(value.length - 1) <= 32) ? value.trim() : value;
}

/**
 * Checks one statement record against the format and turns it into a line of COPY text
 * (line, reference, order, amount, currency, status, time), or says why it is rejected.
 */
export function encodeStatementRow(layout: StatementLayout, fields: string[], line: number, keys?: RowKeys): string | Rejection {
  if (fields.length !== layout.width) return { reason: 'FIELD_COUNT', message: `expected ${layout.width} fields as in the header, found ${fields.length}` };
  const format = layout.format;
  const ref = trimmed(fields[layout.ref]);
  if (ref === '') return { reason: 'MISSING_PAYMENT_REFERENCE', message: `${format.columns.paymentReference} (payment reference) is empty` };
  if (ref.length > 128)
    return { reason: 'PAYMENT_REFERENCE_TOO_LONG', message: `${format.columns.paymentReference} (payment reference) is longer than 128 characters` };
  const order = trimmed(fields[layout.order]);
  if (order === '') return { reason: 'MISSING_ORDER_NUMBER', message: `${format.columns.orderNumber} (order number) is empty` };
  if (order.length > 64) return { reason: 'ORDER_NUMBER_TOO_LONG', message: `${format.columns.orderNumber} (order number) is longer than 64 characters` };
  const amount = minorUnits(trimmed(fields[layout.amount]), format);
  if (typeof amount !== 'string') return amount;
  const word = trimmed(fields[layout.status]);
  const status = layout.statuses.get(word) ?? layout.statuses.get(word.toUpperCase());
  if (!status) return { reason: 'UNKNOWN_STATUS', message: `status "${word.slice(0, 40)}" is not one of ${[...Object.keys(format.statusMap)].join(', ')}` };
  const at = timestamp(trimmed(fields[layout.time]), format);
  if (typeof at !== 'string') return at;
  let currency = format.currency;
  if (layout.currency >= 0) {
    const given = trimmed(fields[layout.currency]).toUpperCase();
    if (given !== '') {
      if (!CURRENCY.test(given)) return { reason: 'BAD_CURRENCY', message: `currency "${given.slice(0, 10)}" is not an ISO 4217 code` };
      currency = given;
    }
  }
  if (keys) {
    keys.paymentReference = ref;
    keys.orderNumber = order;
  }
  return line + '\t' + copyText(ref) + '\t' + copyText(order) + '\t' + amount + '\t' + currency + '\t' + status + '\t' + at + '\n';
}
