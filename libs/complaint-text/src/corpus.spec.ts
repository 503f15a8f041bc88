import { CORPUS, type CorpusCase } from './corpus/index.js';
import { CONFIDENCE_THRESHOLD, extractComplaint, type ComplaintExtraction } from './index.js';

const FIELDS = ['orderNumber', 'paidAt', 'amount', 'channel', 'phoneLast4', 'paymentReference', 'problemType', 'language'] as const;
type Field = (typeof FIELDS)[number];
const REQUIRED_ACCURACY = 0.95;

function present<T>(found: { value: T; confidence: number } | undefined): T | undefined {
  return found && found.confidence >= CONFIDENCE_THRESHOLD ? found.value : undefined;
}

/** What the extractor said for a field, in the corpus's notation ("10000 CNY", "bank_card:ICBC", ...). */
function said(result: ComplaintExtraction, field: Field): string | undefined {
  switch (field) {
    case 'paidAt':
      return present(result.paidAt)?.iso;
    case 'amount': {
      const amount = present(result.amount);
      return amount && `${amount.amountMinor} ${amount.currency}`;
    }
    case 'channel': {
      const channel = present(result.channel);
      return channel && (channel.bank ? `${channel.channel}:${channel.bank.code}` : channel.channel);
    }
    case 'problemType':
      return result.problemType.confidence >= CONFIDENCE_THRESHOLD ? result.problemType.value : 'OTHER';
    case 'language':
      return result.language;
    default:
      return present(result[field]);
  }
}

function wanted(item: CorpusCase, field: Field): string | undefined {
  if (field === 'paidAt') return item.expect.paidAt && new Date(item.expect.paidAt).toISOString();
  if (field === 'language') return item.expect.language ?? 'zh-CN';
  return item.expect[field];
}

describe('complaint corpus', () => {
  it('has at least 200 distinct complaints', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(200);
    expect(new Set(CORPUS.map((item) => item.text)).size).toBe(CORPUS.length);
  });

  it(`reads every field right in at least ${REQUIRED_ACCURACY * 100} % of the complaints`, () => {
    const right = Object.fromEntries(FIELDS.map((field) => [field, 0])) as Record<Field, number>;
    const misses: string[] = [];
    for (const item of CORPUS) {
      const result = extractComplaint(item.text, { now: new Date(item.now), timeZone: item.timeZone, defaultCurrency: item.defaultCurrency });
      for (const field of FIELDS) {
        const expected = wanted(item, field);
        const actual = said(result, field);
        if (expected === actual) right[field] += 1;
        else misses.push(`${field}: wanted ${expected ?? '-'}, read ${actual ?? '-'} in "${item.text}"`);
      }
    }
    const rows = FIELDS.map((field) => ({ field, right: right[field], of: CORPUS.length, accuracy: `${((100 * right[field]) / CORPUS.length).toFixed(1)} %` }));
    console.table(rows);
    if (misses.length > 0) console.log(`misses:\n${misses.join('\n')}`);
    for (const field of FIELDS) expect({ field, accuracy: right[field] / CORPUS.length >= REQUIRED_ACCURACY }).toEqual({ field, accuracy: true });
  });
});
