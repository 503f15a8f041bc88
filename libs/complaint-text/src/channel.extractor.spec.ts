import { extractComplaint } from './index.js';

const now = new Date('2026-10-20T08:00:00Z');
const channelOf = (text: string) => extractComplaint(text, { now }).channel?.value;

describe('channel', () => {
  it.each([
    ['通过支付宝充值', { channel: 'alipay' }],
    ['Alipay', { channel: 'alipay' }],
    ['用花呗付的', { channel: 'alipay' }],
    ['微信支付', { channel: 'wechat' }],
    ['paid with WeChat Pay', { channel: 'wechat' }],
    ['云闪付', { channel: 'unionpay' }],
    ['银联卡', { channel: 'unionpay' }],
    ['UnionPay', { channel: 'unionpay' }],
    ['QQ钱包', { channel: 'qq_wallet' }],
    ['工商银行', { channel: 'bank_card', bank: { code: 'ICBC', name: '工商银行' } }],
    ['工行卡', { channel: 'bank_card', bank: { code: 'ICBC', name: '工商银行' } }],
    ['中国工商银行', { channel: 'bank_card', bank: { code: 'ICBC', name: '工商银行' } }],
    ['建行', { channel: 'bank_card', bank: { code: 'CCB', name: '建设银行' } }],
    ['农业银行', { channel: 'bank_card', bank: { code: 'ABC', name: '农业银行' } }],
    ['中国银行', { channel: 'bank_card', bank: { code: 'BOC', name: '中国银行' } }],
    ['招行信用卡', { channel: 'bank_card', bank: { code: 'CMB', name: '招商银行' } }],
    ['credit card', { channel: 'bank_card' }],
  ])('%s', (text, value) => {
    expect(channelOf(text)).toEqual(value);
  });

  it('skips a denied channel and a WeChat contact', () => {
    expect(channelOf('不是用微信，是用支付宝付的')).toEqual({ channel: 'alipay' });
    expect(channelOf('微信号abc123 加我一下')).toBeUndefined();
  });

  it('is optional, but asked for when absent', () => {
    const result = extractComplaint('订单号2026101915003321 昨天下午3点 50元 没到账', { now });
    expect(result.channel).toBeUndefined();
    expect(result.missing).toEqual([expect.objectContaining({ field: 'channel', required: false })]);
  });
});
