import { PlainRowEncoder, type KeySpans } from './plain-row-encoder.js';
import { BUILT_IN_STATEMENT_FORMATS, type StatementFormat } from '../config/statement-format.js';
import { encodeStatementRow, layoutFromHeader } from './statement-row.js';

const wechat = BUILT_IN_STATEMENT_FORMATS.find((f) => f.channel === 'wechat')!;
const major: StatementFormat = { ...wechat, name: 'major-v1', amountUnit: 'major', amountScale: 2, statusMap: { ...wechat.statusMap, ok: 'CLEARED' } };
const HEADER = ['transaction_id', 'out_trade_no', 'trade_state', 'total_fee', 'fee_type', 'success_time'];

const variants = {
  ref: ['WX1', 'wx-2_3.4', ' WX1', 'WX1 ', '', 'R'.repeat(128), 'R'.repeat(129), 'W\\X', 'W X', 'WX\t1', 'Wé1', 'W"X', 'WX\r'],
  order: ['O-1', ' O-1', '', 'O'.repeat(64), 'O'.repeat(65), 'O\\1', '订单1'],
  status: ['SUCCESS', 'REFUND', 'success', 'Success', ' SUCCESS', 'USERPAYING', 'MAYBE', '', 'ok', 'OK'],
  amount: [
    '600',
    '0600',
    '0',
    '000',
    '-600',
    '6.00',
    '6.5',
    '0.05',
    '.5',
    '5.',
    '1.2.3',
    '12.345',
    '',
    ' 600',
    '1'.repeat(15),
    '1'.repeat(16),
    '1'.repeat(18),
    '1'.repeat(19),
    '12a',
    '001.10',
  ],
  currency: ['CNY', 'cny', 'Cny', '', ' CNY', 'CN', 'CNYY', 'C1Y', 'ÇNY'],
  time: [
    '2026-11-21 10:00:00',
    '2026-11-21T23:59:59',
    '2024-02-29 10:00:00',
    '2026-02-29 10:00:00',
    '0000-01-01 00:00:00',
    '0001-01-01 00:00:00',
    '2026-11-21 24:00:00',
    '2026-11-21 10:60:00',
    '2026-13-01 10:00:00',
    '2026-11-21 10:00:00+08:00',
    '2026-11-21T10:00:00Z',
    '2026-11-21 10:00:00.123',
    ' 2026-11-21 10:00:00',
    '2026/11/21 10:00:00',
    '2026-11-21x10:00:00',
  ],
};

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
}

function check(format: StatementFormat, rows: number): { plain: number; text: number } {
  const layout = layoutFromHeader(format, HEADER, 1);
  const encoder = PlainRowEncoder.for(layout)!;
  const next = random(42);
  // The first two variants of each field are good ones: pick them more often, so that many rows are whole good rows.
  const pick = <T>(list: T[]) => list[Math.floor(next() * (next() < 0.75 ? 2 : list.length))];
  const out = Buffer.alloc(4096);
  const spans: KeySpans = { refStart: 0, refEnd: 0, orderStart: 0, orderEnd: 0 };
  const seen = { plain: 0, text: 0 };
  for (let i = 0; i < rows; i += 1) {
    const fields = [pick(variants.ref), pick(variants.order), pick(variants.status), pick(variants.amount), pick(variants.currency), pick(variants.time)];
    if (next() < 0.05) fields.push('extra');
    if (next() < 0.05) fields.pop();
    const line = fields.join(',');
    const bytes = Buffer.from(`junk${line}junk`, 'utf8');
    const start = 4;
    const end = bytes.length - 4;
    const lineNo = 2 + Math.floor(next() * 1e9);
    const written = encoder.encode(bytes, start, end, lineNo, out, 7, spans);
    const expected = encodeStatementRow(layout, line.split(','), lineNo);
    if (written < 0) {
      seen.text += 1;
      continue;
    }
    seen.plain += 1;
    expect({ line, copy: out.toString('utf8', 7, written) }).toEqual({ line, copy: expected });
    expect(written - 7).toBeLessThanOrEqual(PlainRowEncoder.room(end - start));
    expect([bytes.toString('utf8', spans.refStart, spans.refEnd), bytes.toString('utf8', spans.orderStart, spans.orderEnd)]).toEqual([fields[0], fields[1]]);
  }
  return seen;
}

describe('PlainRowEncoder', () => {
  it('writes exactly the COPY line of the text path for every row it takes, in minor units', () => {
    const seen = check(wechat, 20_000);
    // Both paths get a fair share of the rows, so the comparison means something.
    expect(seen.plain).toBeGreaterThan(500);
    expect(seen.text).toBeGreaterThan(5_000);
  });

  it('writes exactly the COPY line of the text path for every row it takes, in decimal amounts', () => {
    const seen = check(major, 20_000);
    expect(seen.plain).toBeGreaterThan(500);
  });

  it('leaves formats with a delimiter outside ASCII to the text path', () => {
    const fullWidth = { ...wechat, delimiter: '，' };
    expect(PlainRowEncoder.for(layoutFromHeader(fullWidth, HEADER, 1))).toBeNull();
  });
});
