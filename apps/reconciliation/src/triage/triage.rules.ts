import type { ReasonCode, TriageOutcome } from '@pt/contracts';
import { orderLines, placeDeliveries, type ClearingFacts, type Evidence } from './evidence.js';

/** Bumped whenever a rule changes meaning, so stored decisions say which rules made them. */
export const RULE_VERSION = 'triage-rules/2026-12-02.4';

export type TriageAction =
  | { kind: 'NONE' }
  /**
   * Allocate a card key for each of `lines` and record its delivery; revoke the unusable
   * deliveries of those lines; optionally repair a lost payment callback.
   */
  | {
      kind: 'REISSUE';
      cause: 'PAID_NOT_CREDITED' | 'REPLACEMENT';
      lines: number[];
      /** Of the owed lines, how many get no key for want of stock (the decision escalates them). */
      missing: number;
      repairPayments: ClearingFacts[];
      revokeDeliveryIds: string[];
    };

export interface TriageDecision {
  outcome: TriageOutcome;
  reasonCode: ReasonCode;
  explanation: string;
  action: TriageAction;
  /** For AWAITING_CLEARING: when the wait runs out, so the next re-check is no later than that. */
  waitUntil?: string;
}

const NONE: TriageAction = { kind: 'NONE' };

function minutesBetween(fromIso: string, toIso: string): number {
  return (Date.parse(toIso) - Date.parse(fromIso)) / 60_000;
}

function plusMinutes(iso: string, minutes: number): string {
  return new Date(Date.parse(iso) + minutes * 60_000).toISOString();
}

/** incident.triaged carries at most this many characters of explanation. */
const EXPLANATION_MAX = 500;

/** One decision issues at most this many card keys automatically; a larger order needs a person. */
export const MAX_AUTO_ISSUED_LINES = 100;

function decision(outcome: TriageOutcome, reasonCode: ReasonCode, explanation: string, action: TriageAction = NONE): TriageDecision {
  const text = explanation.length > EXPLANATION_MAX ? `${explanation.slice(0, EXPLANATION_MAX - 1)}…` : explanation;
  return { outcome, reasonCode, explanation: text, action };
}

/** Row 10: reasons a person must approve a re-issue, or null when none applies. */
function riskReason(e: Evidence, amountMinor: string, currency: string, owedLines: number): string | null {
  if (owedLines > MAX_AUTO_ISSUED_LINES) {
    return `${owedLines} card keys are owed for this order, more than the ${MAX_AUTO_ISSUED_LINES} one decision issues automatically; a person must approve the re-issue.`;
  }
  const cap = Object.hasOwn(e.limits.autoIssueCapsMinor, currency) ? e.limits.autoIssueCapsMinor[currency] : undefined;
  if (cap === undefined) {
    return `No auto-issue cap is set for ${currency}, so orders in ${currency} are never re-issued automatically; a person must approve the re-issue.`;
  }
  if (BigInt(amountMinor) > BigInt(cap)) {
    return `The order amount ${amountMinor} ${currency} is over the auto-issue cap of ${cap} ${currency}; a person must approve the re-issue.`;
  }
  if (e.accountReissuesInWindow >= e.limits.velocityLimit) {
    return `The account already received ${e.accountReissuesInWindow} re-issues in ${e.limits.velocityWindowHours} h (limit ${e.limits.velocityLimit}); a person must approve another.`;
  }
  return null;
}

/** "line 2", "lines 1, 2", "lines 1-4, 7": runs of three or more lines as a range. */
export function lineList(lines: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < lines.length;) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === lines[j] + 1) j += 1;
    if (j - i >= 2) parts.push(`${lines[i]}-${lines[j]}`);
    else parts.push(...lines.slice(i, j + 1).map(String));
    i = j + 1;
  }
  return `line${lines.length === 1 ? '' : 's'} ${parts.join(', ')}`;
}

/** What a re-issue of `lines` of an order of `quantity` units gives, in words. */
function keysIssued(lines: number[], quantity: number): string {
  if (quantity <= 1) return 'a card key';
  return `${lines.length === 1 ? 'a card key' : `${lines.length} card keys`} (${lineList(lines)} of ${quantity})`;
}

/** Partial stock: how many of the owed keys are re-issued and how many are missing, and why. */
export function missingKeys(issued: number, owed: number[], sku: string): string {
  const missing = owed.slice(issued);
  return `${issued} of ${owed.length} card keys re-issued; ${missing.length} missing (${lineList(missing)}): no stock of SKU ${sku}.`;
}

/**
 * When the one cleared payment was made, for the paid-after-expiry rule: the time the
 * shop's ledger recorded it (the buyer paid then), else, for a payment only the channel
 * reported (lost callback), the time it cleared.
 */
function paidAt(e: Evidence, payment: ClearingFacts): string {
  return e.payments.find((p) => p.paymentReference === payment.paymentReference)?.paidAt ?? payment.statusAt;
}

/** Minutes the payment was made after the order's expiry, or null when the order has no expiry or was paid in time. */
function minutesPaidAfterExpiry(e: Evidence, expiresAt: string | null, payment: ClearingFacts): number | null {
  if (expiresAt === null) return null;
  const late = minutesBetween(expiresAt, paidAt(e, payment));
  return late > 0 ? late : null;
}

/**
 * The triage table of DESIGN.md section 6, checked in order. A pure function of the
 * evidence: no clock, no I/O, so every stored decision can be replayed.
 */
export function decide(e: Evidence): TriageDecision {
  // 1. order unknown: the report may have raced the shop's feed, so it waits a short while
  const order = e.order;
  if (!order) {
    const wait = e.limits.orderWaitMinutes ?? 0;
    const deadline = plusMinutes(e.report.firstReportedAt, wait);
    if (e.now < deadline) {
      return {
        ...decision(
          'AWAITING_CLEARING',
          'AWAITING_ORDER',
          `No order with this number is in the ledger yet; waiting up to ${wait} minutes after the report for the shop's order.`,
        ),
        waitUntil: deadline,
      };
    }
    return decision(
      'ESCALATED',
      'ORDER_NOT_FOUND',
      wait > 0
        ? `No order with this number is in the ledger, ${Math.round(minutesBetween(e.report.firstReportedAt, e.now))} minutes after the report.`
        : 'No order with this number is in the ledger.',
    );
  }

  // 2. reporter is not the order's account (checked before anything about the order is used)
  const phoneMismatch = e.report.phoneLast4Hash !== null && order.phoneLast4Hash !== null && e.report.phoneLast4Hash !== order.phoneLast4Hash;
  if (e.report.accountId !== order.accountId || phoneMismatch) {
    return decision('ESCALATED', 'IDENTITY_MISMATCH', 'The reporter does not match the account that placed the order; nothing is issued.');
  }

  const cardKeyInvalid = e.report.incidentType === 'CARD_KEY_INVALID';
  const cause = cardKeyInvalid ? 'REPLACEMENT' : 'PAID_NOT_CREDITED';
  // Lines are the order's units; each is owed one card key unless a valid delivered key fills it.
  const lines = orderLines(order.quantity, e.deliveries);
  const owed = lines.owed;
  const cleared = e.clearing.filter((c) => c.status === 'CLEARED');

  // 3. a card key was delivered and is still valid, for every line
  if (owed.length === 0) {
    if (cleared.length > 1) {
      // Delivered, but paid more than once: nothing is owed, the surplus must go back (row 9).
      return decision(
        'ESCALATED',
        'DUPLICATE_PAYMENT',
        `A valid card key was delivered${lines.quantity > 1 ? ` for each of the ${lines.quantity} lines` : ''}, but ${cleared.length} payments cleared for this order; ${cleared.length - 1} surplus payment(s) await a refund.`,
      );
    }
    const each = lines.quantity > 1 ? ` for each of the order's ${lines.quantity} lines` : '';
    return decision(
      'AUTO_RESOLVED',
      'ALREADY_DELIVERED',
      cardKeyInvalid
        ? `The delivered card key${lines.quantity > 1 ? 's check' : ' checks'} out as valid${each}; the buyer is pointed to ${lines.quantity > 1 ? 'them' : 'it'}.`
        : `A valid card key was already delivered${each || ' for this order'}; the buyer is pointed to ${lines.quantity > 1 ? 'them' : 'it'}.`,
    );
  }
  // Part of the order delivered and valid: only the other lines are owed.
  const coveredNote =
    lines.covered.length > 0 ? ` ${lines.covered.length} of ${lines.quantity} lines already hold a valid card key (${lineList(lines.covered)}).` : '';

  // 4 / 5. no payment anywhere
  if (e.payments.length === 0 && e.clearing.length === 0) {
    const deadline = plusMinutes(e.report.firstReportedAt, e.limits.waitingWindowMinutes);
    if (e.now < deadline) {
      return {
        ...decision(
          'AWAITING_CLEARING',
          'AWAITING_CLEARING',
          `No payment is known yet; re-checking for up to ${e.limits.waitingWindowMinutes} minutes after the report.`,
        ),
        waitUntil: deadline,
      };
    }
    const waited = minutesBetween(e.report.firstReportedAt, e.now);
    return decision('ESCALATED', 'PAYMENT_NOT_FOUND', `No payment in the ledger and no clearing record ${Math.round(waited)} minutes after the report.`);
  }

  if (cleared.length === 0) {
    // 6. clearing failed or reversed
    const reversed = e.clearing.find((c) => c.status === 'REVERSED');
    if (reversed)
      return decision('ESCALATED', 'PAYMENT_REVERSED', `Payment ${reversed.paymentReference} was reversed by the channel; the money went back to the buyer.`);
    const failed = e.clearing.find((c) => c.status === 'FAILED');
    if (failed) {
      return decision(
        'ESCALATED',
        'CLEARING_FAILED',
        `Clearing of payment ${failed.paymentReference} failed (${failed.failureCode ?? 'no code'}); the money never arrived.`,
      );
    }
    // 7. clearing in progress (or the ledger knows a payment the channel has not reported yet)
    const inProgress = e.clearing.filter((c) => c.status === 'CLEARING');
    const since = inProgress.length > 0 ? inProgress.map((c) => c.statusAt).sort()[0] : e.report.firstReportedAt;
    const deadline = plusMinutes(since, e.limits.clearingStuckAfterMinutes);
    if (e.now < deadline) {
      return {
        ...decision('AWAITING_CLEARING', 'AWAITING_CLEARING', 'The payment is still clearing at the bank or channel; re-checking on a back-off schedule.'),
        waitUntil: deadline,
      };
    }
    const waited = minutesBetween(since, e.now);
    return decision(
      'ESCALATED',
      'CLEARING_STUCK',
      `The payment has been clearing for ${Math.round(waited)} minutes, past the ${e.limits.clearingStuckAfterMinutes}-minute limit.`,
    );
  }

  // The order was refunded: the money went back, nothing is owed.
  if (order.status === 'REFUNDED') {
    return decision('ESCALATED', 'PAYMENT_REVERSED', 'The order was refunded to the buyer; nothing is issued.');
  }

  // 8. cleared amount differs from the order amount
  const mismatch = cleared.find((c) => c.amountMinor !== order.amountMinor || c.currency !== order.currency);
  if (mismatch) {
    return decision(
      'ESCALATED',
      'AMOUNT_MISMATCH',
      `Payment ${mismatch.paymentReference} cleared ${mismatch.amountMinor} ${mismatch.currency} but the order is for ${order.amountMinor} ${order.currency}.`,
    );
  }

  // A line already re-issued for this cause cannot be re-issued again (one issuance per line and cause).
  const issuances = e.issuances ?? e.issuanceCauses.map((c) => ({ lineNo: 1, cause: c }));
  const issuedLines = new Set(issuances.filter((i) => i.cause === cause).map((i) => i.lineNo));
  const reissuedBefore = owed.filter((line) => issuedLines.has(line));
  const alreadyIssued = reissuedBefore.length > 0;
  const knownRefs = new Set(e.payments.map((p) => p.paymentReference));
  const repairPayments = cleared.filter((c) => !knownRefs.has(c.paymentReference));
  // What stock there is is issued, lowest lines first; the rest escalates as missing.
  const issuable = owed.slice(0, Math.max(0, Math.min(owed.length, e.stockAvailable)));
  const missing = owed.length - issuable.length;
  const revokeDeliveryIds = placeDeliveries(e.deliveries)
    .filter((p) => p.delivery.keyState !== 'VALID' && issuable.includes(p.lineNo))
    .map((p) => p.delivery.deliveryId);
  const reissue: TriageAction = { kind: 'REISSUE', cause, lines: issuable, missing, repairPayments, revokeDeliveryIds };
  const risk = riskReason(e, order.amountMinor, order.currency, owed.length);
  const stockNote = missing > 0 && issuable.length > 0 ? ` ${missingKeys(issuable.length, owed, order.sku)}` : '';

  // 9. more than one cleared payment: re-issue once if owed (and allowed), escalate the surplus
  if (cleared.length > 1) {
    const surplus = cleared.length - 1;
    const canIssue = !alreadyIssued && risk === null && issuable.length > 0;
    return decision(
      'ESCALATED',
      'DUPLICATE_PAYMENT',
      canIssue
        ? `${cleared.length} payments cleared for one order: ${lines.quantity > 1 ? `${keysIssued(issuable, lines.quantity)} owed ${issuable.length === 1 ? 'is' : 'are'}` : 'the card key owed is'} re-issued once, and ${surplus} surplus payment(s) await a refund.${stockNote}`
        : `${cleared.length} payments cleared for one order; ${surplus} surplus payment(s) await a refund${alreadyIssued ? '' : ` and the card key${owed.length > 1 ? 's' : ''} owed need${owed.length > 1 ? '' : 's'} a person`}.`,
      canIssue ? reissue : NONE,
    );
  }

  // Already re-issued once for this cause and still nothing valid: a person must look.
  if (alreadyIssued) {
    return decision(
      'ESCALATED',
      'RISK_REVIEW',
      lines.quantity > 1
        ? `A card key was already re-issued for ${lineList(reissuedBefore)} of this order for this cause and none delivered for ${reissuedBefore.length > 1 ? 'them' : 'it'} is valid; a second automatic re-issue is not allowed.${coveredNote}`
        : 'A card key was already re-issued for this order and cause and none delivered is valid; a second automatic re-issue is not allowed.',
    );
  }

  // 9b. paid after the order expired: honoured within the grace window, else a person decides
  const late = minutesPaidAfterExpiry(e, order.expiresAt, cleared[0]);
  const grace = e.limits.paidAfterExpiryGraceMinutes;
  if (late !== null && late > grace) {
    return decision(
      'ESCALATED',
      'PAID_AFTER_EXPIRY',
      `Payment ${cleared[0].paymentReference} was made ${Math.ceil(late)} minutes after the order expired, past the ${grace}-minute grace window; a person decides between fulfilling and refunding.`,
    );
  }
  const lateNote = late === null ? '' : ` It was paid ${Math.ceil(late)} minutes after the order expired, within the ${grace}-minute grace window.`;

  // 10. risk: amount cap or re-issue velocity
  if (risk) return decision('ESCALATED', 'RISK_REVIEW', risk + lateNote);

  // 11. no stock, for none or some of the owed lines: what there is is issued, the rest escalates
  if (issuable.length === 0) {
    return decision(
      'ESCALATED',
      'OUT_OF_STOCK',
      (owed.length === 1 ? `No card key of SKU ${order.sku} is in stock to re-issue.` : missingKeys(0, owed, order.sku)) + coveredNote + lateNote,
    );
  }
  const bad = e.deliveries.filter((d) => d.keyState !== 'VALID');
  const why =
    repairPayments.length > 0
      ? `Payment ${repairPayments.map((p) => p.paymentReference).join(', ')} cleared but its callback was lost: the payment was recorded as a correction and ${keysIssued(issuable, lines.quantity)} re-issued.`
      : revokeDeliveryIds.length > 0 || (bad.length > 0 && lines.quantity <= 1)
        ? `The delivered card key ${lines.quantity > 1 ? `of ${lineList(issuable)} ` : ''}was not usable: it was revoked and ${lines.quantity > 1 ? keysIssued(issuable, lines.quantity) : 'a new one'} issued.`
        : `The payment cleared and no card key was delivered${lines.quantity > 1 ? ` for ${lineList(owed)}` : ''}: ${keysIssued(issuable, lines.quantity)} ${issuable.length === 1 ? 'was' : 'were'} re-issued.`;
  if (missing > 0) return decision('ESCALATED', 'OUT_OF_STOCK', `${missingKeys(issuable.length, owed, order.sku)} ${why}${coveredNote}${lateNote}`, reissue);

  // 12. money cleared, nothing valid delivered: re-issue
  return decision('AUTO_RESOLVED', 'REISSUED', why + coveredNote + lateNote, reissue);
}
