import { csvCell, csvRow } from './csv.js';

describe('CSV writer', () => {
  it.each([
    ['plain text', 'PAY-1', 'PAY-1'],
    ['null', null, ''],
    ['undefined', undefined, ''],
    ['a number', 42, '42'],
    ['a boolean', true, 'true'],
    ['a comma', 'a,b', '"a,b"'],
    ['a quote', 'say "hi"', '"say ""hi"""'],
    ['a line feed', 'a\nb', '"a\nb"'],
    ['a quote that is not at the start', "it's", "it's"],
    ['an equals sign', '=1+1', "'=1+1"],
    ['a formula with quotes', '=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['a plus', '+1', "'+1"],
    ['a minus', '-1+cmd', "'-1+cmd"],
    ['a negative number', -5, "'-5"],
    ['an at sign', '@SUM(A1)', "'@SUM(A1)"],
    ['a tab', '\t=1', "'\t=1"],
    ['a carriage return', '\r=1', `"'\r=1"`],
    ['an equals sign later on', 'a=b', 'a=b'],
  ])('writes %s', (_, value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('ends a row with CRLF and keeps the order of the cells', () => {
    expect(csvRow(['a', null, 3, '=x', 'b,c'])).toBe(`a,,3,'=x,"b,c"\r\n`);
  });
});
