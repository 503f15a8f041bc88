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
  'OUT_OF_STOCK',
  'RISK_REVIEW',
  'IDENTITY_MISMATCH',
  'PAYMENT_NOT_FOUND',
  'RECHECK_FAILED',
  'TRIAGE_STALLED',
  'REPORT_NOT_RECEIVED',
]);

/** Priority from the report's urgent flag, its amount and the triage reason code. */
export function priorityOf(urgent: boolean, amountMinor: string, reasonCode: string | null): Priority {
  const amount = BigInt(amountMinor);
  if (urgent || (reasonCode !== null && URGENT_REASONS.has(reasonCode)) || amount >= 50_000n) return 'P1';
  if ((reasonCode !== null && HIGH_REASONS.has(reasonCode)) || amount >= 10_000n) return 'P2';
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
