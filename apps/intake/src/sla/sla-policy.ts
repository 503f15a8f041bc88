import type { CurrencyAmounts } from '@pt/contracts';
import { addBusinessMinutes, businessMinutesBetween, type BusinessCalendar } from './business-calendar.js';

export type Priority = 'P1' | 'P2' | 'P3';

/** Business minutes to the first response and to resolution, per priority. */
export type SlaPolicies = Record<Priority, { firstResponse: number; resolution: number }>;

/** Parses "P1:15/240,P2:60/480,P3:240/1440". */
export function parsePolicies(text: string): SlaPolicies {
  const policies: Partial<SlaPolicies> = {};
  for (const part of text.split(',')) {
    const match = /^(P[123]):(\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(part.trim());
    if (!match) throw new Error(`SLA policy "${part}" must look like P1:15/240`);
    policies[match[1] as Priority] = { firstResponse: Number(match[2]), resolution: Number(match[3]) };
  }
  for (const p of ['P1', 'P2', 'P3'] as const) if (!policies[p]) throw new Error(`SLA policy for ${p} is missing`);
  return policies as SlaPolicies;
}

/** Reason codes whose money is already in the wrong place: most urgent. */
const URGENT_REASONS = new Set(['PAYMENT_REVERSED', 'DUPLICATE_PAYMENT']);
/** Reason codes that block a buyer who paid. */
const HIGH_REASONS = new Set([
  'CLEARING_STUCK',
  'AMOUNT_MISMATCH',
  'PAID_AFTER_EXPIRY',
  'OUT_OF_STOCK',
  'RISK_REVIEW',
  'IDENTITY_MISMATCH',
  'PAYMENT_NOT_FOUND',
  'RECHECK_FAILED',
  'TRIAGE_STALLED',
  'REPORT_NOT_RECEIVED',
]);

/** Amounts, in minor units per currency, from which an amount alone makes a ticket P1 or P2. */
export interface PriorityAmounts {
  p1: CurrencyAmounts;
  p2: CurrencyAmounts;
}

function atLeast(amount: bigint, currency: string, thresholds: CurrencyAmounts): boolean {
  return Object.hasOwn(thresholds, currency) && amount >= BigInt(thresholds[currency]);
}

/**
 * Priority from the report's urgent flag, its amount in its currency and the triage reason
 * code. An amount in a currency without a threshold does not raise the priority by itself.
 */
export function priorityOf(urgent: boolean, amountMinor: string, currency: string, reasonCode: string | null, amounts: PriorityAmounts): Priority {
  const amount = BigInt(amountMinor);
  if (urgent || (reasonCode !== null && URGENT_REASONS.has(reasonCode)) || atLeast(amount, currency, amounts.p1)) return 'P1';
  if ((reasonCode !== null && HIGH_REASONS.has(reasonCode)) || atLeast(amount, currency, amounts.p2)) return 'P2';
  return 'P3';
}

export interface SlaDue {
  firstResponseDueAt: Date;
  resolutionDueAt: Date;
}

/** Due times counted in business time from the report, extended by time spent paused. */
export function dueTimes(createdAt: Date, priority: Priority, policies: SlaPolicies, cal: BusinessCalendar, pausedBusinessMinutes = 0): SlaDue {
  const policy = policies[priority];
  return {
    firstResponseDueAt: addBusinessMinutes(createdAt, policy.firstResponse + pausedBusinessMinutes, cal),
    resolutionDueAt: addBusinessMinutes(createdAt, policy.resolution + pausedBusinessMinutes, cal),
  };
}

/** Business minutes left until `due` (negative once it has passed). */
export function businessMinutesLeft(now: Date, due: Date, cal: BusinessCalendar): number {
  return due >= now ? businessMinutesBetween(now, due, cal) : -businessMinutesBetween(due, now, cal);
}
