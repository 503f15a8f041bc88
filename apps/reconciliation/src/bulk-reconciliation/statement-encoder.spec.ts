import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvRecordSplitter, StatementFileError } from './csv-record-splitter.js';
import { StatementEncoder } from './statement-encoder.js';
import { BUILT_IN_STATEMENT_FORMATS, StatementFormats, formatProblems } from '../config/statement-format.js';

const wechat = BUILT_IN_STATEMENT_FORMATS.find((f) => f.channel === 'wechat')!;
const alipay = BUILT_IN_STATEMENT_FORMATS.find((f) => f.channel === 'alipay')!;
const HEADER = 'transaction_id,out_trade_no,trade_state,total_fee,fee_type,success_time\n';

/** Runs text through the encoder in small chunks (so records straddle them) and collects the COPY lines. */
async function encode(text: string, format = wechat, chunk = 7): Promise<{ lines: string[]; encoder: StatementEncoder }> {
  const encoder = new StatementEncoder(format, { maxSamples: 100 });
  const bytes = Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) parts.push(bytes.subarray(i, i + chunk));
  let out = '';
  await pipeline(
    Readable.from(parts),
    encoder,
    new Writable({
      write(data: Buffer, _e, cb) {
        out += data.toString();
        cb();
      },
    }),
  );
  return { lines: out.split('\n').filter(Boolean), encoder };
}

describe('CsvRecordSplitter', () => {
  it('keeps quoted delimiters, doubled quotes and quoted line breaks, and numbers records by their first line', () => {
    const records: [number, string[]][] = [];
    const splitter = new CsvRecordSplitter(
      ',',
      (line, fields) => records.push([line, fields]),
      () => undefined,
    );
    splitter.push(Buffer.from('a,b\r\n"x,1","say ""hi""\n'));
    splitter.push(Buffer.from('there"\n\nlast,row'));
    splitter.end();
    expect(records).toEqual([
      [1, ['a', 'b']],
      [2, ['x,1', 'say "hi"\nthere']],
      [5, ['last', 'row']],
    ]);
  });

  it('reports a quote that is never closed', () => {
    const bad: [number, string][] = [];
    const splitter = new CsvRecordSplitter(
      ',',
      () => undefined,
      (line, reason) => bad.push([line, reason]),
    );
    splitter.push(Buffer.from('a,b\n"open,c\n'));
    splitter.end();
    expect(bad).toEqual([[2, 'UNTERMINATED_QUOTE']]);
  });
});

describe('StatementEncoder', () => {
  it('turns good rows into COPY text with minor units and the format time zone', async () => {
    const { lines, encoder } = await encode(`${HEADER}WX1,O-1,SUCCESS,0600,cny,2026-11-21 10:00:00\nWX2,O-2,REFUND,5,,2026-11-21T23:59:59Z\n`);
    expect(lines).toEqual(['2\tWX1\tO-1\t600\tCNY\tCLEARED\t2026-11-21 10:00:00+08:00', '3\tWX2\tO-2\t5\tCNY\tREVERSED\t2026-11-21 23:59:59+00:00']);
    expect(encoder.counts).toMatchObject({ rowsRead: 2, rowsRejected: 0 });
  });

  it('rejects bad rows with their line numbers and reasons, and keeps going', async () => {
    const text =
      HEADER +
      'WX1,O-1,SUCCESS,600,CNY,2026-11-21 10:00:00\n' + // 2 good
      'WX2,O-2,SUCCESS,6.00,CNY,2026-11-21 10:00:00\n' + // 3 amount not in minor units
      'WX3,O-3,MAYBE,600,CNY,2026-11-21 10:00:00\n' + // 4 unknown status
      'WX4,O-4,SUCCESS,600,CNY,2026-02-30 10:00:00\n' + // 5 no such day
      ',O-5,SUCCESS,600,CNY,2026-11-21 10:00:00\n' + // 6 no reference
      'WX6,O-6,SUCCESS,600\n' + // 7 too few fields
      'WX7,O-7,SUCCESS,-600,CNY,2026-11-21 10:00:00\n' + // 8 negative
      'WX8,O-8,SUCCESS,600,yuan,2026-11-21 10:00:00\n'; // 9 currency
    const { lines, encoder } = await encode(text);
    expect(lines).toHaveLength(1);
    expect(encoder.counts.samples.map((s) => [s.line, s.reason])).toEqual([
      [3, 'BAD_AMOUNT'],
      [4, 'UNKNOWN_STATUS'],
      [5, 'BAD_TIME'],
      [6, 'MISSING_PAYMENT_REFERENCE'],
      [7, 'FIELD_COUNT'],
      [8, 'NEGATIVE_AMOUNT'],
      [9, 'BAD_CURRENCY'],
    ]);
    expect(encoder.counts).toMatchObject({ rowsRead: 8, rowsRejected: 7 });
  });

  it('numbers lines the same whichever way a row is read: plain, quoted, across lines, after CRLF and blank lines', async () => {
    const at = 'SUCCESS,600,CNY,2026-11-21 10:00:00';
    const text =
      HEADER.replace('\n', '\r\n') +
      `WX1,O-1,${at}\r\n` + // 2 plain
      '\r\n' + // 3 blank
      `"WX2","O-2",${at}\n` + // 4 quoted
      `"WX3","O-3\nB",${at}\n` + // 5-6 a quoted line break
      '   \n' + // 7 blank
      `WX4, O-4 ,${at}\n` + // 8 trimmed
      `WX5,O-5,${at}`; // 9 no final newline
    const { lines, encoder } = await encode(text);
    const copy = (line: number, ref: string, order: string) => `${line}\t${ref}\t${order}\t600\tCNY\tCLEARED\t2026-11-21 10:00:00+08:00`;
    expect(lines).toEqual([copy(2, 'WX1', 'O-1'), copy(4, 'WX2', 'O-2'), copy(5, 'WX3', 'O-3\\nB'), copy(8, 'WX4', 'O-4'), copy(9, 'WX5', 'O-5')]);
    expect(encoder.counts).toMatchObject({ rowsRead: 5, rowsRejected: 0 });
  });

  it('rejects times PostgreSQL cannot read: year 0, an offset past 15:59', async () => {
    const { lines, encoder } = await encode(
      `${HEADER}WX1,O-1,SUCCESS,600,CNY,0000-11-21 10:00:00\nWX2,O-2,SUCCESS,600,CNY,2026-11-21T10:00:00+16:00\nWX3,O-3,SUCCESS,600,CNY,2026-11-21T10:00:00-15:59\n`,
    );
    expect(encoder.counts.samples.map((s) => [s.line, s.reason])).toEqual([
      [2, 'BAD_TIME'],
      [3, 'BAD_TIME'],
    ]);
    expect(lines).toEqual(['4\tWX3\tO-3\t600\tCNY\tCLEARED\t2026-11-21 10:00:00-15:59']);
  });

  it('reads a format with Chinese headers, a BOM and decimal amounts', async () => {
    const text = '\uFEFF支付宝交易号,商户订单号,交易状态,订单金额（元）,完成时间\n2026112100001,O-9,TRADE_SUCCESS,12.5,2026-11-21 08:00:00\n';
    const { lines } = await encode(text, alipay, 5);
    expect(lines).toEqual(['2\t2026112100001\tO-9\t1250\tCNY\tCLEARED\t2026-11-21 08:00:00+08:00']);
  });

  it('refuses a file whose header lacks a mapped column, naming it', async () => {
    await expect(encode('transaction_id,out_trade_no,total_fee\nWX1,O-1,600\n')).rejects.toThrow(StatementFileError);
    await expect(encode('transaction_id,out_trade_no,total_fee\n')).rejects.toThrow(/no column "trade_state"/);
  });

  it('notes the payment references and orders seen on more than one row', async () => {
    const { encoder } = await encode(
      `${HEADER}WX1,O-1,SUCCESS,600,CNY,2026-11-21 10:00:00\nWX2,O-1,SUCCESS,600,CNY,2026-11-21 10:01:00\nWX1,O-3,SUCCESS,600,CNY,2026-11-21 10:02:00\n`,
    );
    expect([...encoder.repeats.orderNumbers]).toEqual(['O-1']);
    expect([...encoder.repeats.paymentReferences]).toEqual(['WX1']);
  });
});

describe('statement formats', () => {
  it('validates configured formats and lets them replace a built-in one', () => {
    expect(formatProblems([{ name: 'x', channel: 'wechat', columns: { paymentReference: 'a' }, statusMap: { OK: 'PAID' }, timeZone: '8' }])).toEqual([
      'format "x": columns.orderNumber must name a header column',
      'format "x": columns.amount must name a header column',
      'format "x": columns.status must name a header column',
      'format "x": columns.time must name a header column',
      'format "x": statusMap.OK must be one of CLEARING, CLEARED, FAILED, REVERSED',
      'format "x": timeZone must be a UTC offset such as +08:00 or Z',
    ]);
    const custom = {
      name: 'wechat-v2',
      channel: 'wechat',
      columns: { paymentReference: 'r', orderNumber: 'o', amount: 'a', status: 's', time: 't' },
      statusMap: { OK: 'CLEARED' },
    };
    expect(formatProblems([custom])).toEqual([]);
    const formats = new StatementFormats(JSON.stringify([custom]));
    expect(formats.forChannel('wechat')).toMatchObject({ name: 'wechat-v2', delimiter: ',', amountUnit: 'minor', currency: 'CNY', timeZone: '+08:00' });
    expect(formats.forChannel('alipay')?.name).toBe('alipay-v1');
  });
});
