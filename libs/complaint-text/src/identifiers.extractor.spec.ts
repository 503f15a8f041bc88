import { extractComplaint } from './index.js';

const now = new Date('2026-10-20T08:00:00Z');
const read = (text: string) => extractComplaint(text, { now });

describe('order number', () => {
  it.each([
    ['订单号202310151430XXXX', '202310151430XXXX'],
    ['订单编号：2026101915003321', '2026101915003321'],
    ['单号 KM2026102010200017', 'KM2026102010200017'],
    ['order no. DD20261019001', 'DD20261019001'],
    ['order #A12345678', 'A12345678'],
    ['my order is 2026101915003321', '2026101915003321'],
    ['订单号：２０２６１０１９１５００３３２１', '２０２６１０１９１５００３３２１'],
  ])('reads the labelled id in %s', (text, value) => {
    expect(read(text).orderNumber).toMatchObject({ value: value.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)), confidence: 0.95 });
  });

  it('keeps the span in the original text', () => {
    const found = read('订单号：２０２６１０１９１５００３３２１').orderNumber!;
    expect(found.span.text).toBe('２０２６１０１９１５００３３２１');
  });

  it('takes an unlabelled long digit run, with less confidence', () => {
    expect(read('帮我查下 2026010208080808 这个订单').orderNumber).toMatchObject({ value: '2026010208080808', confidence: 0.7 });
  });

  it('does not take a phone, a QQ, a card number, a payment reference or a partial order number', () => {
    expect(read('手机13800138000 QQ123456789 没到账').orderNumber).toBeUndefined();
    expect(read('卡号6217000012345678901 没到账').orderNumber).toBeUndefined();
    expect(read('交易号4200001234202610201234567890').orderNumber).toBeUndefined();
    expect(read('订单号后四位是1234').orderNumber).toBeUndefined();
    expect(read('支付宝订单号2026101922001455501402751234').orderNumber).toBeUndefined();
  });
});

describe('payment reference', () => {
  it.each([
    ['交易号4200001234202610201234567890', '4200001234202610201234567890'],
    ['流水号BK20260102000123', 'BK20260102000123'],
    ['支付单号：2026101922001455501402751234', '2026101922001455501402751234'],
    ['Transaction ID 4200001234202606121234567890', '4200001234202606121234567890'],
    ['payment ref: WX20260815001122', 'WX20260815001122'],
  ])('reads %s', (text, value) => {
    expect(read(text).paymentReference?.value).toBe(value);
  });

  it('is absent when not stated', () => {
    expect(read('订单号2026101915003321').paymentReference).toBeUndefined();
  });
});

describe('phone last 4', () => {
  it.each([
    ['手机尾号1234', '1234'],
    ['尾号 1234', '1234'],
    ['手机号码后四位3344', '3344'],
    ['phone ending 5678', '5678'],
    ['my phone number ends in 7788', '7788'],
    ['Last 4 digits of my phone: 9090', '9090'],
    ['联系电话13800138000', '8000'],
    ['手机１３７００００５５６６', '5566'],
  ])('reads %s', (text, value) => {
    expect(read(text).phoneLast4?.value).toBe(value);
  });

  it("is not a bank card's or an order's last four", () => {
    expect(read('银行卡尾号5566扣了200元').phoneLast4).toBeUndefined();
    expect(read('订单号后四位是1234').phoneLast4).toBeUndefined();
  });
});
