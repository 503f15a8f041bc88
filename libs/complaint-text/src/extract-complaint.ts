import { extractAmount } from './amount.extractor.js';
import { extractChannel } from './channel.extractor.js';
import {
  CONFIDENCE_THRESHOLD,
  REQUIRED_FIELDS,
  type ComplaintContext,
  type ComplaintExtraction,
  type ComplaintField,
  type MissingField,
  type TextSpan,
} from './complaint-extraction.js';
import { extractOrderNumber, extractPaymentReference, extractPhoneLast4 } from './identifiers.extractor.js';
import { hasCjk, normalizeText } from './normalize.js';
import { extractPaidAt } from './paid-at.extractor.js';
import { extractProblemType } from './problem-type.extractor.js';
import { isTimeZone } from './zoned-time.js';

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

const QUESTIONS: Record<ComplaintField, MissingField['question']> = {
  orderNumber: { 'zh-CN': '请提供订单号。', en: 'Please tell us your order number.' },
  paidAt: { 'zh-CN': '请提供付款时间（日期和几点几分）。', en: 'Please tell us when you paid (the date and time).' },
  amount: { 'zh-CN': '请提供付款金额。', en: 'Please tell us how much you paid.' },
  problemType: {
    'zh-CN': '请说明遇到的问题：已付款未到账、卡密无效、重复扣款，还是账号问题？',
    en: 'Please tell us what went wrong: paid but not credited, an invalid card key, charged twice, or a problem with your account?',
  },
  channel: { 'zh-CN': '请告诉我们您的付款方式（支付宝、微信、银行卡等）。', en: 'Please tell us how you paid (Alipay, WeChat Pay, bank card, ...).' },
};

/** Thrown for a context the extractor cannot work with (the caller answers 400 naming the field). */
export class ComplaintContextError extends Error {
  constructor(
    readonly field: 'timeZone' | 'now' | 'defaultCurrency',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads a buyer's complaint, in Chinese, English or both, into the fields of a report, each
 * with a confidence and the span it was read from, and lists what to ask the buyer for.
 * Pure: the same text and context always give the same answer.
 */
export function extractComplaint(text: string, context: ComplaintContext): ComplaintExtraction {
  const timeZone = context.timeZone ?? DEFAULT_TIME_ZONE;
  if (!isTimeZone(timeZone)) throw new ComplaintContextError('timeZone', `timeZone must be an IANA time zone, e.g. ${DEFAULT_TIME_ZONE}`);
  if (Number.isNaN(context.now.getTime())) throw new ComplaintContextError('now', 'now must be a valid date');
  const defaultCurrency = context.defaultCurrency ?? 'CNY';
  if (!/^[A-Z]{3}$/.test(defaultCurrency)) throw new ComplaintContextError('defaultCurrency', 'defaultCurrency must be an ISO 4217 code in capitals, e.g. CNY');

  const normalized = normalizeText(text);
  const paymentReference = extractPaymentReference(text, normalized);
  const orderNumber = extractOrderNumber(text, normalized, paymentReference);
  const phoneLast4 = extractPhoneLast4(text, normalized);
  const amount = extractAmount(text, normalized, defaultCurrency);
  const taken: TextSpan[] = [orderNumber, paymentReference, amount].flatMap((found) => (found ? [found.span] : []));
  for (const m of normalized.matchAll(/\d{7,}/g)) taken.push({ start: m.index, end: m.index + m[0].length, text: m[0] });
  const paidAt = extractPaidAt(text, normalized, context.now, timeZone, taken);
  const channel = extractChannel(text, normalized);
  const problemType = extractProblemType(text, normalized);

  const extraction: ComplaintExtraction = {
    language: hasCjk(text) ? 'zh-CN' : 'en',
    ...(orderNumber && { orderNumber }),
    ...(paidAt && { paidAt }),
    ...(amount && { amount }),
    ...(channel && { channel }),
    ...(phoneLast4 && { phoneLast4 }),
    ...(paymentReference && { paymentReference }),
    problemType,
    missing: [],
  };
  const fields: ComplaintField[] = [...REQUIRED_FIELDS, 'channel'];
  for (const field of fields) {
    const found = extraction[field];
    const weak = !found || found.confidence < CONFIDENCE_THRESHOLD || (field === 'problemType' && found.value === 'OTHER');
    if (weak) extraction.missing.push({ field, required: field !== 'channel', question: QUESTIONS[field] });
  }
  return extraction;
}
