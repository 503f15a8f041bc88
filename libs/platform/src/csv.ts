/** Cells a spreadsheet would read as a formula (or that hide one behind a tab or CR). */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV cell (RFC 4180). Text a spreadsheet would run as a formula, starting with
 * = + - @, a tab or a carriage return, is prefixed with an apostrophe, so it is shown as
 * text: a buyer's or a bank's words must never become a formula on an agent's machine.
 * That holds for every value, a negative number too (it is shown as text). Null and
 * undefined are an empty cell.
 */
export function csvCell(value: string | number | bigint | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV record, cells in the order given, ended with CRLF (RFC 4180). */
export function csvRow(values: readonly (string | number | bigint | boolean | null | undefined)[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
