import fs from 'node:fs';
import path from 'node:path';
import { CLEARING_FAILURES, SETTLEMENT_FAILURES, explainFailure } from './failure-codes.js';

describe('failure codes', () => {
  it('explains the codes in plain language, with a remedy', () => {
    expect(explainFailure('SETTLEMENT', 'MERCHANT_ACCOUNT_INVALID')).toEqual({
      code: 'MERCHANT_ACCOUNT_INVALID',
      source: 'SETTLEMENT',
      explanation: expect.stringContaining('the bank account on file was rejected'),
      remedy: expect.stringContaining('update the bank account in the merchant portal'),
    });
    expect(explainFailure('CLEARING', null)).toMatchObject({ code: 'UNKNOWN', remedy: expect.any(String) });
  });

  it('are documented in docs/contracts/settlement-feeds.md exactly as the API words them', () => {
    const doc = fs.readFileSync(path.join(process.cwd(), 'docs', 'contracts', 'settlement-feeds.md'), 'utf8');
    for (const [code, f] of Object.entries({ ...SETTLEMENT_FAILURES, ...CLEARING_FAILURES })) {
      expect(doc).toContain(`| \`${code}\` | ${f.explanation} | ${f.remedy} |`);
    }
  });
});
