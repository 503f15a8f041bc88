import { ImportFormatError, parseCardKeyCsv, parseCardKeyJson } from './card-key-file.parser.js';

describe('card-key import files', () => {
  it('reads CSV with a header, quoted fields and blank lines, numbering lines as an editor does', () => {
    const rows = parseCardKeyCsv('sku,secret,expiresAt\r\nGAME-60,"AB,CD-""1""",\n\nGAME-60,XYZ-0001,2027-01-01T00:00:00Z\n');
    expect(rows).toEqual([
      { line: 2, sku: 'GAME-60', secret: 'AB,CD-"1"', expiresAt: undefined },
      { line: 4, sku: 'GAME-60', secret: 'XYZ-0001', expiresAt: '2027-01-01T00:00:00Z' },
    ]);
  });

  it.each([
    ['a missing secret column', 'sku,code\nA,B\n', 1],
    ['an unknown column', 'sku,secret,colour\nA,B,C\n', 1],
    ['a row with too many fields', 'sku,secret\nA,B\nA,B,C\n', 3],
    ['an unterminated quote', 'sku,secret\nA,"B\n', 2],
  ])('rejects %s naming the line', (_name, text, line) => {
    let error: unknown;
    try {
      parseCardKeyCsv(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ImportFormatError);
    expect((error as ImportFormatError).line).toBe(line);
    expect((error as Error).message).toMatch(new RegExp(`^line ${line}: `));
  });

  it('reads JSON as { keys: [...] } or a bare array, numbering items from 1', () => {
    expect(parseCardKeyJson({ keys: [{ sku: 'A', secret: 'B' }] })).toEqual([{ line: 1, sku: 'A', secret: 'B', expiresAt: undefined }]);
    expect(parseCardKeyJson([{ sku: 'A', secret: 'B' }, { sku: 'C' }])[1]).toEqual({ line: 2, sku: 'C', secret: undefined, expiresAt: undefined });
    expect(() => parseCardKeyJson({ items: [] })).toThrow(ImportFormatError);
  });
});
