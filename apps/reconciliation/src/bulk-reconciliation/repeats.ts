import type { StagedRow } from './recon-session.js';

export interface RepeatFindings {
  /** Statement lines that repeat a payment reference of an earlier line; they are rejected. */
  duplicateLines: { line: number; firstLine: number; paymentReference: string }[];
  /** Staged cleared payments of an order that already had an earlier cleared payment. */
  surplus: string[];
}

/**
 * Looks at the few rows that share a payment reference or an order: a reference on more
 * than one line keeps its first line only; an order with more than one cleared payment
 * (counting those the clearing mirror knows from elsewhere) keeps its earliest one, and
 * every later one on the statement is surplus, a duplicate payment.
 */
export function analyzeRepeats(staged: StagedRow[], elsewhere: StagedRow[]): RepeatFindings {
  const byReference = new Map<string, StagedRow[]>();
  for (const row of staged) {
    const list = byReference.get(row.paymentReference);
    if (list) list.push(row);
    else byReference.set(row.paymentReference, [row]);
  }
  const duplicateLines: RepeatFindings['duplicateLines'] = [];
  const kept: StagedRow[] = [];
  for (const [paymentReference, rows] of byReference) {
    rows.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    kept.push(rows[0]);
    for (const repeat of rows.slice(1)) duplicateLines.push({ line: repeat.line ?? 0, firstLine: rows[0].line ?? 0, paymentReference });
  }
  const clearedByOrder = new Map<string, StagedRow[]>();
  for (const row of [...kept, ...elsewhere]) {
    if (row.status !== 'CLEARED') continue;
    const list = clearedByOrder.get(row.orderNumber);
    if (list) list.push(row);
    else clearedByOrder.set(row.orderNumber, [row]);
  }
  const surplus: string[] = [];
  for (const rows of clearedByOrder.values()) {
    if (rows.length < 2) continue;
    rows.sort((a, b) => a.statusAt - b.statusAt || (a.paymentReference < b.paymentReference ? -1 : a.paymentReference > b.paymentReference ? 1 : 0));
    for (const later of rows.slice(1)) if (later.staged) surplus.push(later.paymentReference);
  }
  duplicateLines.sort((a, b) => a.line - b.line);
  return { duplicateLines, surplus };
}
