import { parseChineseInteger } from './chinese-numerals.js';

describe('parseChineseInteger', () => {
  it.each([
    ['十', 10],
    ['十五', 15],
    ['二十', 20],
    ['一百', 100],
    ['两百', 200],
    ['一百零五', 105],
    ['一百五', 150],
    ['一百五十', 150],
    ['一千零五十', 1050],
    ['两千三', 2300],
    ['一万二', 12000],
    ['三万五千', 35000],
    ['九十九', 99],
    ['一二三', 123],
  ])('%s is %d', (text, value) => {
    expect(parseChineseInteger(text)).toBe(value);
  });

  it('is undefined for what is not a numeral', () => {
    expect(parseChineseInteger('')).toBeUndefined();
    expect(parseChineseInteger('一百块')).toBeUndefined();
    expect(parseChineseInteger('12')).toBeUndefined();
  });
});
