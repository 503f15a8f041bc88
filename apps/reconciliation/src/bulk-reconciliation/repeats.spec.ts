import type { StagedRow } from './recon-session.js';
import { RepeatDetector } from './repeat-detector.js';
import { analyzeRepeats } from './repeats.js';

const row = (line: number | null, ref: string, order: string, status = 'CLEARED', at = line ?? 0, staged = true): StagedRow => ({
  line,
  paymentReference: ref,
  orderNumber: order,
  status,
  statusAt: at,
  staged,
});

describe('analyzeRepeats', () => {
  it('keeps the first line of a repeated payment reference', () => {
    const result = analyzeRepeats([row(7, 'P1', 'O1'), row(3, 'P1', 'O1'), row(9, 'P1', 'O1')], []);
    expect(result.duplicateLines).toEqual([
      { line: 7, firstLine: 3, paymentReference: 'P1' },
      { line: 9, firstLine: 3, paymentReference: 'P1' },
    ]);
    expect(result.surplus).toEqual([]);
  });

  it('marks every cleared payment of an order after its earliest as surplus', () => {
    const result = analyzeRepeats(
      [row(2, 'P2', 'O1', 'CLEARED', 20), row(3, 'P1', 'O1', 'CLEARED', 10), row(4, 'P3', 'O1', 'FAILED', 5), row(5, 'P4', 'O2')],
      [],
    );
    expect(result.surplus).toEqual(['P2']);
  });

  it('counts a cleared payment the mirror knows from elsewhere, but only flags the statement rows', () => {
    expect(analyzeRepeats([row(2, 'P2', 'O1', 'CLEARED', 20)], [row(null, 'P1', 'O1', 'CLEARED', 10, false)]).surplus).toEqual(['P2']);
    expect(analyzeRepeats([row(2, 'P2', 'O1', 'CLEARED', 5)], [row(null, 'P1', 'O1', 'CLEARED', 10, false)]).surplus).toEqual([]);
  });
});

describe('RepeatDetector', () => {
  it('says no for a new key and yes for one seen before, across growth', () => {
    const seen = new RepeatDetector(4);
    const keys = Array.from({ length: 5000 }, (_, i) => `ORDER-${i}`);
    expect(keys.filter((k) => seen.seen(k))).toEqual([]);
    expect(keys.every((k) => seen.seen(k))).toBe(true);
  });

  it('takes an ASCII key as bytes or as a string alike', () => {
    const seen = new RepeatDetector(4);
    const bytes = Buffer.from('xxORDER-1xxORDER-2');
    expect(seen.seen('ORDER-1')).toBe(false);
    expect(seen.seenBytes(bytes, 2, 9)).toBe(true);
    expect(seen.seenBytes(bytes, 11, 18)).toBe(false);
    expect(seen.seen('ORDER-2')).toBe(true);
  });
});
