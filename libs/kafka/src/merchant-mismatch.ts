import { PermanentMessageError } from './event-context.js';

/**
 * `x-dlq-reason` of an event that would give a payment another merchant than the one it
 * is stored under, or put it in another merchant's settlement batch. Deterministic: the
 * stored merchant does not change, so a redelivery or replay is dead-lettered again.
 */
export const MERCHANT_MISMATCH = 'MERCHANT_MISMATCH';

/** A payment an event names, stored under another merchant than the event's. */
export interface MerchantConflict {
  paymentReference: string;
  /** The merchant the payment is stored under. */
  merchantId: string;
}

/** How many conflicting payments `x-dlq-error` names before it only counts the rest. */
const NAMED = 10;

/**
 * The error a handler throws (inside its transaction, so nothing is written) for an event
 * naming `claimedMerchantId` for payments stored under other merchants. `subject` says
 * what the event is, e.g. `settlement batch B-17`.
 */
export function merchantMismatch(subject: string, claimedMerchantId: string, conflicts: readonly MerchantConflict[]): PermanentMessageError {
  const named = conflicts.slice(0, NAMED).map((c) => `${c.paymentReference} belongs to merchant ${c.merchantId}`);
  const more = conflicts.length > NAMED ? `, and ${conflicts.length - NAMED} more` : '';
  return new PermanentMessageError(
    MERCHANT_MISMATCH,
    `merchantId: ${subject} names merchant ${claimedMerchantId}, but payment ${named.join(', payment ')}${more}`,
  );
}
