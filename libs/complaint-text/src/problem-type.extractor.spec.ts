import { extractComplaint } from './index.js';

const now = new Date('2026-10-20T08:00:00Z');
const typeOf = (text: string) => extractComplaint(text, { now }).problemType.value;

describe('problem type', () => {
  it.each([
    ['充值成功但未到账', 'PAID_NOT_CREDITED'],
    ['钱扣了没到账', 'PAID_NOT_CREDITED'],
    ['账户余额未增加', 'PAID_NOT_CREDITED'],
    ['卡密一直没有给我', 'PAID_NOT_CREDITED'],
    ['没到帐', 'PAID_NOT_CREDITED'],
    ['balance did not increase', 'PAID_NOT_CREDITED'],
    ["haven't received the code", 'PAID_NOT_CREDITED'],
    ['卡密无效', 'CARD_KEY_INVALID'],
    ['卡密错误', 'CARD_KEY_INVALID'],
    ['卡密已被使用', 'CARD_KEY_INVALID'],
    ['卡秘错误', 'CARD_KEY_INVALID'],
    ['the key is invalid', 'CARD_KEY_INVALID'],
    ['code has already been redeemed', 'CARD_KEY_INVALID'],
    ['重复扣款', 'CHARGED_TWICE'],
    ['扣了两次', 'CHARGED_TWICE'],
    ['charged twice', 'CHARGED_TWICE'],
    ['账号被盗', 'ACCOUNT_PROBLEM'],
    ['登录不了', 'ACCOUNT_PROBLEM'],
    ["can't log in", 'ACCOUNT_PROBLEM'],
    ['你们客服电话是多少', 'OTHER'],
  ])('%s is %s', (text, type) => {
    expect(typeOf(text)).toBe(type);
  });

  it('prefers the specific claim when a buyer names several', () => {
    expect(typeOf('扣了两次钱，而且没到账')).toBe('CHARGED_TWICE');
    expect(typeOf('卡密无效，等于没到账')).toBe('CARD_KEY_INVALID');
  });

  it('asks for the problem when it reads none', () => {
    const result = extractComplaint('订单号2026101915003321', { now });
    expect(result.problemType).toMatchObject({ value: 'OTHER' });
    expect(result.missing.map((m) => m.field)).toContain('problemType');
  });
});
