import { Transform, type TransformCallback } from 'node:stream';
import { CsvRecordSplitter, StatementFileError } from './csv-record-splitter.js';
import { PlainRowEncoder, type KeySpans } from './plain-row-encoder.js';
import type { StatementFormat } from '../config/statement-format.js';
import { RepeatDetector } from './repeat-detector.js';
import { encodeStatementRow, layoutFromHeader, type RowKeys, type StatementLayout } from './statement-row.js';

/** More repeated keys than this and the caller is told to look for repeats in the database instead. */
const MAX_REPEATS_KEPT = 100_000;
/** COPY text is written into blocks of this size, handed on a slice at a time. */
const OUT_BLOCK = 1024 * 1024;

/**
 * Payment references and order numbers that appear (or may appear: see RepeatDetector)
 * on more than one good row. `complete` is false when there were too many to keep.
 */
export interface Repeats {
  paymentReferences: Set<string>;
  orderNumbers: Set<string>;
  complete: boolean;
}

export interface RejectedRow {
  line: number;
  reason: string;
  message: string;
}

/** What an import has seen so far. */
export interface ImportCounts {
  bytesRead: number;
  /** Records after the header, good or bad. */
  rowsRead: number;
  rowsRejected: number;
  byReason: Record<string, number>;
  /** The first rejected rows, with their line numbers (at most `maxSamples`). */
  samples: RejectedRow[];
}

export interface StatementEncoderOptions {
  maxSamples: number;
  /** Called every `progressEveryRows` rows read. */
  onProgress?: (counts: ImportCounts) => void;
  progressEveryRows?: number;
}

/**
 * Streams a statement CSV in and COPY text out: reads the header, checks every row
 * against the channel's format, writes good rows for `COPY ... FROM STDIN` and counts
 * the rejected ones by reason, keeping the first few with their line numbers. Memory use
 * does not grow with the file. Plain rows are encoded from the bytes (PlainRowEncoder);
 * the others, and every rejection, go through the text path.
 */
export class StatementEncoder extends Transform {
  readonly counts: ImportCounts = { bytesRead: 0, rowsRead: 0, rowsRejected: 0, byReason: {}, samples: [] };
  private readonly splitter: CsvRecordSplitter;
  private layout: StatementLayout | null = null;
  private plain: PlainRowEncoder | null = null;
  private readonly keys: RowKeys = { paymentReference: '', orderNumber: '' };
  private readonly spans: KeySpans = { refStart: 0, refEnd: 0, orderStart: 0, orderEnd: 0 };
  private readonly seenReferences = new RepeatDetector();
  private readonly seenOrders = new RepeatDetector();
  readonly repeats: Repeats = { paymentReferences: new Set(), orderNumbers: new Set(), complete: true };
  private out: Buffer = Buffer.allocUnsafe(OUT_BLOCK);
  private outAt = 0;
  private readonly progressEvery: number;
  private nextProgressAt: number;

  constructor(
    private readonly format: StatementFormat,
    private readonly options: StatementEncoderOptions,
  ) {
    super({ writableHighWaterMark: 256 * 1024, readableHighWaterMark: 256 * 1024 });
    this.progressEvery = options.progressEveryRows ?? 50_000;
    this.nextProgressAt = this.progressEvery;
    this.splitter = new CsvRecordSplitter(
      format.delimiter,
      (line, fields) => this.record(line, fields),
      (line, reason, message) => {
        if (this.layout) this.reject(line, reason, message);
        else throw new StatementFileError(line, `the header line cannot be read: ${message}`);
      },
      (bytes, start, end, line) => this.plainRecord(bytes, start, end, line),
    );
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.counts.bytesRead += chunk.length;
      this.splitter.push(chunk);
      this.flushOut();
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.splitter.end();
      if (!this.layout) throw new StatementFileError(1, 'the statement is empty: it has no header line');
      this.flushOut();
      this.options.onProgress?.(this.counts);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  private record(line: number, fields: string[]): void {
    if (!this.layout) {
      this.layout = layoutFromHeader(this.format, fields, line);
      this.plain = PlainRowEncoder.for(this.layout);
      return;
    }
    this.counts.rowsRead += 1;
    const encoded = encodeStatementRow(this.layout, fields, line, this.keys);
    if (typeof encoded === 'string') {
      this.room(Buffer.byteLength(encoded));
      this.outAt += this.out.write(encoded, this.outAt);
      this.noteRepeats(this.seenReferences.seen(this.keys.paymentReference), this.seenOrders.seen(this.keys.orderNumber), null);
    } else this.reject(line, encoded.reason, encoded.message);
    this.progress();
  }

  private plainRecord(bytes: Buffer, start: number, end: number, line: number): boolean {
    if (!this.plain) return false;
    this.room(PlainRowEncoder.room(end - start));
    const written = this.plain.encode(bytes, start, end, line, this.out, this.outAt, this.spans);
    if (written < 0) return false;
    this.outAt = written;
    this.counts.rowsRead += 1;
    const { refStart, refEnd, orderStart, orderEnd } = this.spans;
    this.noteRepeats(this.seenReferences.seenBytes(bytes, refStart, refEnd), this.seenOrders.seenBytes(bytes, orderStart, orderEnd), bytes);
    this.progress();
    return true;
  }

  /** Notes the keys of the row just encoded that were seen before (plain rows: from `bytes`). */
  private noteRepeats(referenceSeen: boolean, orderSeen: boolean, bytes: Buffer | null): void {
    const repeats = this.repeats;
    if (!repeats.complete || (!referenceSeen && !orderSeen)) return;
    const { refStart, refEnd, orderStart, orderEnd } = this.spans;
    if (referenceSeen) repeats.paymentReferences.add(bytes ? bytes.toString('latin1', refStart, refEnd) : this.keys.paymentReference);
    if (orderSeen) repeats.orderNumbers.add(bytes ? bytes.toString('latin1', orderStart, orderEnd) : this.keys.orderNumber);
    if (repeats.paymentReferences.size + repeats.orderNumbers.size > MAX_REPEATS_KEPT) {
      repeats.complete = false;
      repeats.paymentReferences.clear();
      repeats.orderNumbers.clear();
    }
  }

  private progress(): void {
    if (this.counts.rowsRead >= this.nextProgressAt) {
      this.nextProgressAt += this.progressEvery;
      this.options.onProgress?.(this.counts);
    }
  }

  private reject(line: number, reason: string, message: string): void {
    if (reason === 'UNTERMINATED_QUOTE') this.counts.rowsRead += 1;
    this.counts.rowsRejected += 1;
    this.counts.byReason[reason] = (this.counts.byReason[reason] ?? 0) + 1;
    if (this.counts.samples.length < this.options.maxSamples) this.counts.samples.push({ line, reason, message });
  }

  /** Makes sure `bytes` more fit in the current block. */
  private room(bytes: number): void {
    if (this.outAt + bytes <= this.out.length) return;
    this.flushOut();
    if (this.out.length < bytes) this.out = Buffer.allocUnsafe(Math.max(OUT_BLOCK, bytes));
  }

  /** Hands on what was written; the rest of the block is used for what comes next. */
  private flushOut(): void {
    if (this.outAt === 0) return;
    const written = this.out.subarray(0, this.outAt);
    this.out = this.out.length - this.outAt >= 64 * 1024 ? this.out.subarray(this.outAt) : Buffer.allocUnsafe(OUT_BLOCK);
    this.outAt = 0;
    this.push(written);
  }
}
