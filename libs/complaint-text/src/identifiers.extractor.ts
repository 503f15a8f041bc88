import type { Extracted } from './complaint-extraction.js';
import { spanOf } from './normalize.js';

const REFERENCE_LABEL =
  /(交易单号|交易号|交易流水号|支付流水号|流水号|支付单号|支付订单号|支付宝订单号|支付宝交易号|微信支付单号|微信订单号|商户单号|银行流水号?|transaction\s*(?:id|no\.?|number|ref(?:erence)?)|txn\s*(?:id|no\.?)?|payment\s*(?:ref(?:erence)?|id|no\.?|number)|trade\s*no\.?|reference\s*(?:no\.?|number)?)\s*(?:是|为|:|#|=)?\s*([A-Za-z0-9][A-Za-z0-9_-]{5,63})/gi;
const ORDER_LABEL =
  /(?<![A-Za-z])(商户订单号|订单编号|订单号码|订单号|订单|单号|order\s*(?:number|no\.?|id|#)|order)\s*(?:是|为|:|#|=|号|is\b|was\b)?\s*(?:#\s*)?([A-Za-z0-9][A-Za-z0-9_-]{4,63})/gi;
const NOT_AN_ORDER_BEFORE = /(支付|交易|支付宝|微信|流水|银行|payment|transaction)\s*$/i;
const LONG_DIGITS = /(?<![A-Za-z0-9])(\d{10,}[Xx*]{0,8})(?![A-Za-z0-9])/g;
const PREFIXED_ID = /(?<![A-Za-z0-9])([A-Z]{1,4}\d{8,}[A-Z0-9]*)(?![A-Za-z0-9])/g;
const NOT_AN_ORDER_CONTEXT = /(卡号|银行卡|信用卡|card|手机号?|电话|phone|mobile|tel|QQ号?|qq|微信号|账号|账户|account|uid|ID|id)\s*(?:是|为|:)?\s*$/i;

/** The payment channel's own reference (交易号, 流水号, ...), only when the buyer labels it. */
export function extractPaymentReference(original: string, text: string): Extracted<string> | undefined {
  for (const m of text.matchAll(REFERENCE_LABEL)) {
    const value = m[2];
    if ((value.match(/\d/g)?.length ?? 0) < 4) continue;
    const start = m.index + m[0].length - value.length;
    return { value, confidence: 0.9, span: spanOf(original, start, start + value.length) };
  }
  return undefined;
}

/**
 * The shop's order number: a labelled id (订单号, order no, ...) first, else an unlabelled long
 * digit run that is neither a phone, a card, a QQ or an account number, nor the payment reference.
 */
export function extractOrderNumber(original: string, text: string, reference?: Extracted<string>): Extracted<string> | undefined {
  const overlapsReference = (start: number, end: number) => reference !== undefined && start < reference.span.end && reference.span.start < end;
  for (const m of text.matchAll(ORDER_LABEL)) {
    const value = m[2];
    const start = m.index + m[0].length - value.length;
    if (NOT_AN_ORDER_BEFORE.test(text.slice(Math.max(0, m.index - 6), m.index))) continue;
    if ((value.match(/\d/g)?.length ?? 0) < 4 || overlapsReference(start, start + value.length)) continue;
    if (/^(后|尾号|末)/.test(text.slice(m.index + m[1].length).trim())) continue;
    return { value, confidence: 0.95, span: spanOf(original, start, start + value.length) };
  }
  const unlabelled: { value: string; start: number }[] = [];
  for (const pattern of [LONG_DIGITS, PREFIXED_ID]) {
    for (const m of text.matchAll(pattern)) {
      const value = m[1];
      const start = m.index;
      const digits = value.replace(/\D/g, '');
      if (overlapsReference(start, start + value.length)) continue;
      if (/^1[3-9]\d{9}$/.test(value)) continue;
      if (/^QQ/i.test(value)) continue;
      if (pattern === LONG_DIGITS && (digits.length < 12 || digits.length > 26)) continue;
      if (NOT_AN_ORDER_CONTEXT.test(text.slice(Math.max(0, start - 8), start))) continue;
      if (!unlabelled.some((u) => u.start === start)) unlabelled.push({ value, start });
    }
  }
  if (unlabelled.length === 0) return undefined;
  unlabelled.sort((a, b) => a.start - b.start);
  const first = unlabelled[0];
  return { value: first.value, confidence: unlabelled.length === 1 ? 0.7 : 0.5, span: spanOf(original, first.start, first.start + first.value.length) };
}

const PHONE_LAST4 =
  /(手机尾号|手机号尾号|手机号码?后(?:四|4)位|手机后(?:四|4)位|电话尾号|电话后(?:四|4)位|尾号|后(?:四|4)位|(?:phone|number)(?:\s*number)?\s*(?:ending|ends)(?:\s*(?:in|with))?|phone(?:\s*number)?\s*(?:last\s*(?:4|four)(?:\s*digits)?)|(?:mobile|cell)\s*ending(?:\s*(?:in|with))?|last\s*(?:4|four)\s*digits\s*(?:of\s*(?:my\s*)?(?:phone|mobile))?(?:\s*(?:is|are))?)\s*(?:是|为|:|is|are)?\s*(\d{4})(?!\d)/gi;
const MOBILE = /(?<!\d)(1[3-9]\d{5}(\d{4}))(?!\d)/g;

/** The last four digits of the buyer's phone, never those of a card or an order. */
export function extractPhoneLast4(original: string, text: string): Extracted<string> | undefined {
  for (const m of text.matchAll(PHONE_LAST4)) {
    const label = m[1].toLowerCase();
    const before = text.slice(Math.max(0, m.index - 8), m.index);
    const phoneNamed = /手机|电话|phone|mobile|cell/.test(label) || /(手机|电话|phone|mobile|cell)[^,，。;]{0,4}$/i.test(before);
    if (!phoneNamed && /(卡|card|订单|单号|order|账号|account)[^,，。;]{0,6}$/i.test(before)) continue;
    if (!phoneNamed && /^(后|last)/.test(label) && !/(手机|电话)/.test(before)) continue;
    const start = m.index + m[0].length - 4;
    return { value: m[2], confidence: phoneNamed ? 0.95 : 0.7, span: spanOf(original, start, start + 4) };
  }
  for (const m of text.matchAll(MOBILE)) {
    const before = text.slice(Math.max(0, m.index - 8), m.index);
    if (/(QQ|qq|订单|单号|order|卡号)[^,，。;]{0,4}$/.test(before)) continue;
    const start = m.index + 7;
    return { value: m[2], confidence: /(手机|电话|phone|mobile|tel)/i.test(before) ? 0.9 : 0.6, span: spanOf(original, start, start + 4) };
  }
  return undefined;
}
