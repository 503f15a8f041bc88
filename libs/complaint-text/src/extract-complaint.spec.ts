import { ComplaintContextError, extractComplaint } from './index.js';

describe('extractComplaint', () => {
  const example = '于10月15日14:30通过支付宝充值100元至沫沫卡盟账户,订单号202310151430XXXX,但截至15:30账户余额未增加,支付记录显示交易成功';

  it('reads the whole example, not taking 截至15:30 for the payment time', () => {
    const result = extractComplaint(example, { now: new Date('2026-10-20T08:00:00Z') });
    expect(result).toMatchObject({
      language: 'zh-CN',
      orderNumber: { value: '202310151430XXXX', span: { text: '202310151430XXXX' } },
      paidAt: { value: { iso: '2026-10-15T06:30:00.000Z', precision: 'minute' }, span: { text: '10月15日14:30' } },
      amount: { value: { amountMinor: '10000', currency: 'CNY' }, span: { text: '100元' } },
      channel: { value: { channel: 'alipay' }, span: { text: '支付宝' } },
      problemType: { value: 'PAID_NOT_CREDITED' },
      missing: [],
    });
    expect(result.phoneLast4).toBeUndefined();
    expect(result.paymentReference).toBeUndefined();
    for (const field of ['orderNumber', 'paidAt', 'amount', 'channel', 'problemType'] as const) {
      const confidence = result[field]!.confidence;
      expect(confidence).toBeGreaterThanOrEqual(0.5);
      expect(confidence).toBeLessThanOrEqual(1);
    }
    const span = result.orderNumber!.span;
    expect(example.slice(span.start, span.end)).toBe(span.text);
  });

  it('takes the latest year not in the future for the example', () => {
    // Written on 1 October 2026, 10月15日 is last year's.
    const result = extractComplaint(example, { now: new Date('2026-10-01T08:00:00Z') });
    expect(result.paidAt?.value.iso).toBe('2025-10-15T06:30:00.000Z');
  });

  it('lists what is missing with a question in zh-CN and en, the channel as not required', () => {
    const result = extractComplaint('钱付了，没有到账', { now: new Date('2026-10-20T08:00:00Z') });
    expect(result.problemType.value).toBe('PAID_NOT_CREDITED');
    expect(result.missing.map((m) => [m.field, m.required])).toEqual([
      ['orderNumber', true],
      ['paidAt', true],
      ['amount', true],
      ['channel', false],
    ]);
    expect(result.missing[0].question).toEqual({ 'zh-CN': '请提供订单号。', en: 'Please tell us your order number.' });
    for (const item of result.missing) {
      expect(item.question['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
      expect(item.question.en).toMatch(/^Please /);
    }
  });

  it('detects the language: zh-CN with any Chinese, else en', () => {
    const now = new Date('2026-10-20T08:00:00Z');
    expect(extractComplaint('my key is invalid', { now }).language).toBe('en');
    expect(extractComplaint('order 123 卡密无效', { now }).language).toBe('zh-CN');
  });

  it('counts a weak value as missing', () => {
    const result = extractComplaint('余额还是50元，没到账', { now: new Date('2026-10-20T08:00:00Z') });
    expect(result.amount?.confidence).toBeLessThan(0.5);
    expect(result.missing.map((m) => m.field)).toContain('amount');
  });

  it('is pure: the same text and context give the same answer', () => {
    const context = { now: new Date('2026-10-20T08:00:00Z'), timeZone: 'Asia/Shanghai' };
    expect(extractComplaint(example, context)).toEqual(extractComplaint(example, context));
  });

  it('names the bad context field', () => {
    const now = new Date('2026-10-20T08:00:00Z');
    expect(() => extractComplaint('x', { now: new Date('nonsense') })).toThrow(ComplaintContextError);
    expect(() => extractComplaint('x', { now, defaultCurrency: 'rmb' })).toThrow(expect.objectContaining({ field: 'defaultCurrency' }));
    expect(() => extractComplaint('x', { now, timeZone: 'UTC+8' })).toThrow(expect.objectContaining({ field: 'timeZone' }));
  });
});
