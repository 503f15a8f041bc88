import { StringDecoder } from 'node:string_decoder';
import { Transform, type TransformCallback } from 'node:stream';
import { CsvRecordSplitter, StatementFileError } from './csv-record-splitter.js';
import type { StatementFormat } from './statement-format.js';
import { RepeatDetector } from './repeat-detector.js';
import { encodeStatementRow, layoutFromHeader, type RowKeys, type StatementLayout } from './statement-row.js';

/** More repeated keys than this and the caller is told to look for repeats in the database instead. */
const MAX_REPEATS_KEPT = 100_000;

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
 * does not grow with the file.
 */
export class StatementEncoder extends Transform {
  readonly counts: ImportCounts = { bytesRead: 0, rowsRead: 0, rowsRejected: 0, byReason: {}, samples: [] };
  private readonly decoder = new StringDecoder('utf8');
  private readonly splitter: CsvRecordSplitter;
  private layout: StatementLayout | null = null;
  private readonly keys: RowKeys = { paymentReference: '', orderNumber: '' };
  private readonly seenReferences = new RepeatDetector();
  private readonly seenOrders = new RepeatDetector();
  readonly repeats: Repeats = { paymentReferences: new Set(), orderNumbers: new Set(), complete: true };
  private out = '';
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
    );
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.counts.bytesRead += chunk.length;
      this.splitter.push(this.decoder.write(chunk));
      this.flushOut();
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.splitter.push(this.decoder.end());
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
      return;
    }
    this.counts.rowsRead += 1;
    const encoded = encodeStatementRow(this.layout, fields, line, this.keys);
    if (typeof encoded === 'string') {
      this.out += encoded;
      this.noteRepeats();
    } else this.reject(line, encoded.reason, encoded.message);
    if (this.counts.rowsRead >= this.nextProgressAt) {
      this.nextProgressAt += this.progressEvery;
      this.options.onProgress?.(this.counts);
    }
  }

  private noteRepeats(): void {
    const repeats = this.repeats;
    if (this.seenReferences.seen(this.keys.paymentReference) && repeats.complete) repeats.paymentReferences.add(this.keys.paymentReference);
    if (this.seenOrders.seen(this.keys.orderNumber) && repeats.complete) repeats.orderNumbers.add(this.keys.orderNumber);
    if (repeats.paymentReferences.size + repeats.orderNumbers.size > MAX_REPEATS_KEPT) {
      repeats.complete = false;
      repeats.paymentReferences.clear();
      repeats.orderNumbers.clear();
    }
  }

  private reject(line: number, reason: string, message: string): void {
    if (reason === 'UNTERMINATED_QUOTE') this.counts.rowsRead += 1;
    this.counts.rowsRejected += 1;
    this.counts.byReason[reason] = (this.counts.byReason[reason] ?? 0) + 1;
    if (this.counts.samples.length < this.options.maxSamples) this.counts.samples.push({ line, reason, message });
  }

  private flushOut(): void {
    if (this.out.length === 0) return;
    const text = this.out;
    this.out = '';
    this.push(text);
  }
}
