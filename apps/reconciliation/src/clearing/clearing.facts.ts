import type { ClearingStatus } from '@pt/contracts';

/** A payment's latest clearing status as the clearing mirror knows it; part of triage's evidence. */
export interface ClearingFacts {
  paymentReference: string;
  channel: string;
  status: ClearingStatus;
  failureCode: string | null;
  amountMinor: string;
  currency: string;
  version: number;
  statusAt: string;
}
