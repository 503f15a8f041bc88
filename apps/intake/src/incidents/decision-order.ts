/** What an incident keeps of the last triage decision applied to it. */
export interface AppliedDecision {
  /** Reconciliation's number of that decision; null when none applied carried one. */
  decisionSequence: number | null;
  /** When that decision was made (the deciding replica's clock); null when none was applied. */
  triagedAt: Date | null;
}

/** What a newly arrived triage decision says of its place among the incident's decisions. */
export interface ArrivingDecision {
  /** Absent from events of producers older than the numbering. */
  sequence?: number;
  decidedAt: string;
}

/**
 * True when the arriving decision must not replace the one applied: reconciliation
 * numbers an incident's decisions under the order's lock, so the number orders them
 * whatever the replicas' clocks say, and a decision is applied only over a lower number
 * (the same number is the same decision again). When either side has no number (an event
 * from a replica not yet upgraded, or an incident whose last decision came from one), the
 * decision times are compared instead, as before the numbering: a decision older than the
 * applied one is not applied.
 */
export function isSuperseded(applied: AppliedDecision, arriving: ArrivingDecision): boolean {
  if (arriving.sequence !== undefined && applied.decisionSequence !== null) return arriving.sequence <= applied.decisionSequence;
  return applied.triagedAt !== null && applied.triagedAt > new Date(arriving.decidedAt);
}
