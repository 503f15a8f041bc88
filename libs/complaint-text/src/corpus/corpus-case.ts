import type { ComplaintProblemType } from '../complaint-extraction.js';

/** One written complaint and what a careful reader takes from it; a key left out means "not stated". */
export interface CorpusCase {
  text: string;
  /** When the buyer wrote it (ISO with offset). */
  now: string;
  timeZone?: string;
  defaultCurrency?: string;
  expect: {
    orderNumber?: string;
    /** ISO with offset; a date-only answer is the start of that day in the buyer's zone. */
    paidAt?: string;
    /** "<minor> <currency>" */
    amount?: string;
    /** channel code, or bank_card:<BANK CODE> */
    channel?: string;
    phoneLast4?: string;
    paymentReference?: string;
    problemType: ComplaintProblemType;
    language?: 'zh-CN' | 'en';
  };
}

export const corpusCase = (
  now: string,
  text: string,
  expect: CorpusCase['expect'],
  options: { timeZone?: string; defaultCurrency?: string } = {},
): CorpusCase => ({
  now,
  text,
  expect,
  ...options,
});
