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
    const ch = text[i];
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
 * Takes the bytes of one line that is neither blank, nor quoted, nor inside a quoted
 * record, and says whether it dealt with it; when it did not, the line is decoded and
 * split as text.
 */
export type PlainLineHandler = (bytes: Buffer, start: number, end: number, line: number) => boolean;

/** UTF-16 length of UTF-8 bytes, as a decoded string would have it (at least, for invalid bytes). */
function decodedLength(bytes: Buffer): number {
  return bytes.length > 3 * MAX_LINE_CHARS ? bytes.length : bytes.toString('utf8').length;
}

/**
 * Cuts a stream of CSV bytes into records without holding more than one record (and one
 * chunk) in memory. Line numbers count physical lines from 1, as an editor shows them;
 * a record spanning several lines (a quoted newline) carries the number of its first.
 * Blank lines are skipped. A newline byte never occurs inside a UTF-8 character, so
 * lines are cut before decoding, and a plain line can be handled as bytes.
 */
export class CsvRecordSplitter {
  private carry: Buffer = Buffer.alloc(0);
  private lineNo = 0;
  private pending: string | null = null;
  private pendingLine = 0;

  constructor(
    private readonly delimiter: string,
    private readonly onRecord: (line: number, fields: string[]) => void,
    private readonly onBadRecord: (line: number, reason: string, message: string) => void,
    private readonly onPlainLine: PlainLineHandler | null = null,
  ) {}

  push(chunk: Buffer): void {
    const data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    let start = 0;
    for (let nl = data.indexOf(10, start); nl >= 0; nl = data.indexOf(10, start)) {
      this.line(data, start, nl > start && data[nl - 1] === 13 ? nl - 1 : nl);
      start = nl + 1;
    }
    this.carry = start === 0 ? data : data.subarray(start);
    if (this.carry.length > MAX_LINE_CHARS && decodedLength(this.carry) > MAX_LINE_CHARS) {
      throw new StatementFileError(this.lineNo + 1, `the line is longer than ${MAX_LINE_CHARS} characters`);
    }
  }

  /** Call once the input has ended. */
  end(): void {
    if (this.carry.length > 0) {
      const last = this.carry;
      this.carry = Buffer.alloc(0);
      this.line(last, 0, last[last.length - 1] === 13 ? last.length - 1 : last.length);
    }
    if (this.pending !== null) {
      this.onBadRecord(this.pendingLine, 'UNTERMINATED_QUOTE', 'a quoted field is never closed');
      this.pending = null;
    }
  }

  private line(bytes: Buffer, start: number, end: number): void {
    this.lineNo += 1;
    if (this.pending === null && end > start && bytes[start] > 32 && this.onPlainLine?.(bytes, start, end, this.lineNo)) return;
    this.textLine(bytes.toString('utf8', start, end));
  }

  private textLine(raw: string): void {
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
