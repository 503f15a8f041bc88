/** Where a value was read in the complaint: offsets into the original text (end exclusive). */
export interface TextSpan {
  start: number;
  end: number;
  text: string;
}

/** One extracted value, how sure the extractor is of it (0..1), and where it was read. */
export interface Extracted<T> {
  value: T;
  confidence: number;
  span: TextSpan;
}

/** Channel codes as the intake API and the settlement calendar spell them. */
export const COMPLAINT_CHANNELS = ['alipay', 'wechat', 'unionpay', 'qq_wallet', 'bank_card'] as const;
export type ComplaintChannel = (typeof COMPLAINT_CHANNELS)[number];

export interface ChannelValue {
  channel: ComplaintChannel;
  /** Set for bank_card when the buyer named the bank: a short code such as ICBC and its Chinese name. */
  bank?: { code: string; name: string };
}

/**
 * The problem the buyer describes. PAID_NOT_CREDITED and CARD_KEY_INVALID are the incident
 * types of the contracts; the others have no incident type yet.
 */
export const COMPLAINT_PROBLEM_TYPES = ['PAID_NOT_CREDITED', 'CARD_KEY_INVALID', 'CHARGED_TWICE', 'ACCOUNT_PROBLEM', 'OTHER'] as const;
export type ComplaintProblemType = (typeof COMPLAINT_PROBLEM_TYPES)[number];

export interface PaidAtValue {
  /** ISO 8601 UTC instant; for a date without a time, the start of that day in the buyer's time zone. */
  iso: string;
  precision: 'minute' | 'day';
}

export interface AmountValue {
  /** Integer minor units as a string of digits, as the contracts carry money. */
  amountMinor: string;
  currency: string;
}

export type ComplaintLanguage = 'zh-CN' | 'en';

export const REQUIRED_FIELDS = ['orderNumber', 'paidAt', 'amount', 'problemType'] as const;
export type ComplaintField = (typeof REQUIRED_FIELDS)[number] | 'channel';

export interface MissingField {
  field: ComplaintField;
  /** False for the channel: worth asking for, but a report can be filed without it. */
  required: boolean;
  question: { 'zh-CN': string; en: string };
}

export interface ComplaintExtraction {
  language: ComplaintLanguage;
  orderNumber?: Extracted<string>;
  paidAt?: Extracted<PaidAtValue>;
  amount?: Extracted<AmountValue>;
  channel?: Extracted<ChannelValue>;
  phoneLast4?: Extracted<string>;
  paymentReference?: Extracted<string>;
  problemType: Extracted<ComplaintProblemType> | { value: 'OTHER'; confidence: number; span?: undefined };
  /** Required fields absent or under CONFIDENCE_THRESHOLD (channel is asked for, but not required), with the question to ask. */
  missing: MissingField[];
}

export interface ComplaintContext {
  now: Date;
  /** IANA time zone of the buyer; Asia/Shanghai when left out. */
  timeZone?: string;
  /** ISO 4217 currency of a bare number; CNY when left out. */
  defaultCurrency?: string;
}

/** A value under this confidence is reported as missing. */
export const CONFIDENCE_THRESHOLD = 0.5;
