import type { RejectedRow } from './statement-encoder.js';

export const DISCREPANCY_CATEGORIES = ['MISSING_IN_LEDGER', 'MISSING_IN_STATEMENT', 'AMOUNT_MISMATCH', 'DUPLICATE'] as const;
export type DiscrepancyCategory = (typeof DISCREPANCY_CATEGORIES)[number];

export type RunStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'REFUSED';
export type RunPhase = 'IMPORTING' | 'MATCHING' | 'OPENING_INCIDENTS' | 'DONE';

/** What a finished run found and did. */
export interface RunSummary {
  statementRows: number;
  matched: number;
  byCategory: Record<DiscrepancyCategory, number>;
  byFinding: Record<string, number>;
  incidents: {
    cap: number;
    opened: number;
    alreadyOpen: number;
    /** Dry run: what a real run would have opened. */
    wouldOpen: number;
    systemicIncidentId: string | null;
    /** Orders held back into the systemic incident instead of opened one by one. */
    heldInSystemicIncident: number;
  };
  clearingMirrorUpdates: number;
  durationMs: number;
  /** Where the time went: importMs (stream, validate, COPY), repeatsMs, matchMs, recordMs, applyMs. */
  timingsMs: Record<string, number>;
  rowsPerSecond: number;
}

export interface RunView {
  id: string;
  channel: string;
  periodStart: string;
  periodEnd: string;
  source: 'FILE' | 'MIRROR';
  format: string | null;
  dryRun: boolean;
  status: RunStatus;
  phase: RunPhase;
  progress: { bytesRead: number; rowsRead: number; rowsRejected: number; rowsLoaded: number };
  rejections: { count: number; byReason: Record<string, number>; first: RejectedRow[] };
  summary: RunSummary | null;
  settings: Record<string, unknown>;
  error: string | null;
  requestedBy: string;
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface DiscrepancyView {
  seq: number;
  category: DiscrepancyCategory;
  finding: string;
  paymentReference: string;
  orderNumber: string | null;
  /** Line of the statement file; null for a ledger payment the statement lacks, or a run over the mirror. */
  line: number | null;
  statement: { status: string; amountMinor: string; currency: string; at: string } | null;
  ledger: { amountMinor: string; currency: string; paidAt: string | null } | null;
  order: { accountId: string; status: string; delivered: boolean | null } | null;
  action: string;
  incidentId: string | null;
}

export interface SystemicIncidentView {
  id: string;
  runId: string;
  channel: string;
  periodStart: string;
  periodEnd: string;
  category: string;
  status: string;
  orderCount: number;
  cap: number;
  totalAmountMinor: string;
  currency: string;
  explanation: string;
  createdAt: string;
}
