import { extractComplaint, toMinor } from './index.js';

const now = new Date('2026-10-20T08:00:00Z');
const amountOf = (text: string, defaultCurrency?: string) => {
  const found = extractComplaint(text, { now, defaultCurrency }).amount;
  return found && { minor: found.value.amountMinor, currency: found.value.currency, span: found.span.text, confident: found.confidence >= 0.5 };
};

describe('amount', () => {
  it.each([
    ['充值100元', '10000', '100元'],
    ['付了¥99.90', '9990', '¥99.90'],
    ['付了￥９９．９０', '9990', '￥９９．９０'],
    ['一百元', '10000', '一百元'],
    ['两百块', '20000', '两百块'],
    ['充了一百五', '15000', '一百五'],
    ['一百零五元', '10500', '一百零五元'],
    ['1,000元', '100000', '1,000元'],
    ['99.9元', '9990', '99.9元'],
    ['三十块五毛', '3050', '三十块五毛'],
    ['三十块五', '3050', '三十块五'],
    ['30块5毛', '3050', '30块5毛'],
    ['10元5角6分', '1056', '10元5角6分'],
    ['１２８元', '12800', '１２８元'],
    ['RMB 50', '5000', 'RMB 50'],
    ['50块钱', '5000', '50块钱'],
    ['九块九', '990', '九块九'],
    ['五毛钱', '50', '五毛钱'],
  ])('%s is %s minor CNY', (text, minor, span) => {
    expect(amountOf(text)).toEqual({ minor, currency: 'CNY', span, confident: true });
  });

  it('reads dollars as USD', () => {
    expect(amountOf('paid $9.99')).toMatchObject({ minor: '999', currency: 'USD' });
    expect(amountOf('20美元')).toMatchObject({ minor: '2000', currency: 'USD' });
    expect(amountOf('paid 15 dollars')).toMatchObject({ minor: '1500', currency: 'USD' });
  });

  it('gives a bare paid number the default currency', () => {
    expect(amountOf('paid 49.99 an hour ago', 'USD')).toMatchObject({ minor: '4999', currency: 'USD', confident: true });
    expect(amountOf('充值100')).toMatchObject({ minor: '10000', currency: 'CNY' });
  });

  it('does not take a balance, a face value or a quantity for the paid amount', () => {
    expect(amountOf('余额50元，充了200元')).toMatchObject({ minor: '20000' });
    expect(amountOf('面值100元的卡，实付95元')).toMatchObject({ minor: '9500' });
    expect(amountOf('买了2张50元的卡，共付了100元')).toMatchObject({ minor: '10000' });
    expect(amountOf('余额还是50元')?.confident).toBe(false);
    expect(amountOf('扣了两次')).toBeUndefined();
    expect(amountOf('订单2026101512345678，QQ123456789')).toBeUndefined();
  });

  it('does not read a following time as jiao', () => {
    expect(amountOf('充了30块 2小时前')).toMatchObject({ minor: '3000', span: '30块' });
  });

  it('converts exactly, never through a float', () => {
    expect(toMinor('0.29')).toBe(29n);
    expect(toMinor('1.10')).toBe(110n);
    expect(toMinor('12345678901234.56')).toBe(1234567890123456n);
    expect(toMinor('1.005')).toBeUndefined();
    expect(toMinor('九十九点九')).toBe(9990n);
  });
});
