import type { ChannelValue, ComplaintChannel, Extracted } from './complaint-extraction.js';
import { spanOf } from './normalize.js';

interface ChannelWord {
  pattern: RegExp;
  channel: ComplaintChannel;
  bank?: { code: string; name: string };
}

const bank = (code: string, name: string, words: string): ChannelWord => ({
  pattern: new RegExp(words, 'gi'),
  channel: 'bank_card',
  bank: { code, name },
});

// Longer names first: 中国工商银行 must not be read as 中国银行.
const WORDS: ChannelWord[] = [
  { pattern: /QQ\s*钱包|QQ\s*wallet|财付通/gi, channel: 'qq_wallet' },
  { pattern: /支付宝|alipay|花呗|余额宝/gi, channel: 'alipay' },
  { pattern: /微信(?!号|好友|联系|客服|群|上|加)|wechat\s*pay|wechat|weixin|零钱通/gi, channel: 'wechat' },
  { pattern: /云闪付|银联|union\s*pay/gi, channel: 'unionpay' },
  bank('ICBC', '工商银行', '(?:中国)?工商银行|工行|ICBC'),
  bank('CCB', '建设银行', '(?:中国)?建设银行|建行|CCB'),
  bank('ABC', '农业银行', '(?:中国)?农业银行|农行|Agricultural Bank'),
  bank('PSBC', '邮储银行', '邮储银行|邮政储蓄银行?|PSBC'),
  bank('BOCOM', '交通银行', '交通银行|交行|BOCOM'),
  bank('CMB', '招商银行', '招商银行|招行|China Merchants Bank|CMB'),
  bank('CIB', '兴业银行', '兴业银行'),
  bank('CMBC', '民生银行', '民生银行'),
  bank('CITIC', '中信银行', '中信银行'),
  bank('SPDB', '浦发银行', '浦发银行|浦发'),
  bank('CEB', '光大银行', '光大银行'),
  bank('PAB', '平安银行', '平安银行'),
  bank('GDB', '广发银行', '广发银行'),
  bank('BOC', '中国银行', '中国银行|中行|Bank of China|BOC'),
  {
    pattern:
      /银行卡|储蓄卡|借记卡|信用卡|网银|bank\s*card|debit\s*card|credit\s*card|bank\s*transfer|my\s*card\s*was\s*charged|charged\s*(?:to|on)\s*my\s*card/gi,
    channel: 'bank_card',
  },
];

const PAY_NEAR_BEFORE = /(用|通过|使用|走的|选的|选择|via|through|with|using|by|in|from)\s*(?:的|了|my)?\s*$/i;
const PAY_NEAR_AFTER = /^\s*(?:app\s*)?(付|支付|付款|扫码|充值|转账|扣|pay|paid|payment|charged)/i;
const NEGATED_BEFORE = /(不是|没有?用|没走|not|instead of|rather than)\s*(?:用|通过)?\s*$/i;

/** The channel the buyer paid through, as the intake API names channels; a named bank as bank_card with its name. */
export function extractChannel(original: string, text: string): Extracted<ChannelValue> | undefined {
  const hits: { value: ChannelValue; start: number; end: number; confidence: number }[] = [];
  for (const word of WORDS) {
    for (const m of text.matchAll(word.pattern)) {
      const start = m.index;
      const end = start + m[0].length;
      if (hits.some((h) => h.start < end && start < h.end)) continue;
      const before = text.slice(Math.max(0, start - 6), start);
      if (NEGATED_BEFORE.test(before)) continue;
      const after = text.slice(end, end + 8);
      const paymentNamed = PAY_NEAR_BEFORE.test(before) || PAY_NEAR_AFTER.test(after) || /支付|pay/i.test(m[0]);
      const confidence = (paymentNamed ? 0.95 : 0.75) - (word.channel === 'bank_card' && !word.bank ? 0.05 : 0);
      hits.push({ value: word.bank ? { channel: word.channel, bank: word.bank } : { channel: word.channel }, start, end, confidence });
    }
  }
  if (hits.length === 0) return undefined;
  hits.sort((a, b) => b.confidence - a.confidence || a.start - b.start);
  // A card of a named bank paid through a wallet stays the wallet's payment.
  const best = hits[0];
  return { value: best.value, confidence: best.confidence, span: spanOf(original, best.start, best.end) };
}
