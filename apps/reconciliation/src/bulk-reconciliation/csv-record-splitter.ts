const QUOTE = 34;
/** No statement line is this long; beyond it the file is not a statement. */
const MAX_LINE_CHARS = 1024 * 1024;

/** The file as a whole cannot be read as a statement (bad header, a line with no end). */
export class StatementFileError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'StatementFileError';
  }
}
/** A quoted field longer than this is taken for a quote that was never closed. */
const MAX_RECORD_CHARS = 64 * 1024;

function quoteCount(text: string): number {
  let n = 0;
  for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i + 1)) n += 1;
  return n;
}

/** Splits one complete CSV record with quoted fields (RFC 4180: "" inside quotes is a quote). */
export function splitQuotedRecord(text: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let atFieldStart = true;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text.charCodeAt(i + 1) === QUOTE) {
          field += '"';
          i += 1;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && atFieldStart) {
      quoted = true;
      atFieldStart = false;
    } else if (ch === delimiter) {
      fields.push(field);
      field = '';
      atFieldStart = true;
    } else {
      field += ch;
      atFieldStart = false;
    }
  }
  fields.push(field);
  return fields;
}

/**
 * Cuts a stream of CSV text into records without holding more than one record (and one
 * chunk) in memory. Line numbers count physical lines from 1, as an editor shows them;
 * a record spanning several lines (a quoted newline) carries the number of its first.
 * Blank lines are skipped.
 */
export class CsvRecordSplitter {
  private carry = '';
  private lineNo = 0;
  private pending: string | null = null;
  private pendingLine = 0;

  constructor(
    private readonly delimiter: string,
    private readonly onRecord: (line: number, fields: string[]) => void,
    private readonly onBadRecord: (line: number, reason: string, message: string) => void,
  ) {}

  push(text: string): void {
    const data = this.carry.length > 0 ? this.carry + text : text;
    let start = 0;
    for (let nl = data.indexOf('\n', start); nl >= 0; nl = data.indexOf('\n', start)) {
      const end = nl > start && data.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      this.line(data.slice(start, end));
      start = nl + 1;
    }
    this.carry = start === 0 ? data : data.slice(start);
    if (this.carry.length > MAX_LINE_CHARS) throw new StatementFileError(this.lineNo + 1, `the line is longer than ${MAX_LINE_CHARS} characters`);
  }

  /** Call once the input has ended. */
  end(): void {
    if (this.carry.length > 0) {
      const last = this.carry.endsWith('\r') ? this.carry.slice(0, -1) : this.carry;
      this.carry = '';
      this.line(last);
    }
    if (this.pending !== null) {
      this.onBadRecord(this.pendingLine, 'UNTERMINATED_QUOTE', 'a quoted field is never closed');
      this.pending = null;
    }
  }

  private line(raw: string): void {
    this.lineNo += 1;
    if (this.pending !== null) {
      this.pending += `\n${raw}`;
      if (quoteCount(this.pending) % 2 === 0) {
        const record = this.pending;
        this.pending = null;
        this.onRecord(this.pendingLine, splitQuotedRecord(record, this.delimiter));
      } else if (this.pending.length > MAX_RECORD_CHARS) {
        this.onBadRecord(this.pendingLine, 'UNTERMINATED_QUOTE', 'a quoted field is never closed');
        this.pending = null;
      }
      return;
    }
    if (raw.length === 0 || (raw.charCodeAt(0) <= 32 && raw.trim() === '')) return;
    if (raw.indexOf('"') < 0) {
      this.onRecord(this.lineNo, raw.split(this.delimiter));
    } else if (quoteCount(raw) % 2 === 1) {
      this.pending = raw;
      this.pendingLine = this.lineNo;
    } else {
      this.onRecord(this.lineNo, splitQuotedRecord(raw, this.delimiter));
    }
  }
}
