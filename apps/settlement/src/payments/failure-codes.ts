/** Where a failure happened: at the bank/channel while clearing, or when paying the merchant out. */
export type FailureSource = 'CLEARING' | 'SETTLEMENT';

export interface FailureExplanation {
  code: string;
  source: FailureSource;
  explanation: string;
  remedy: string;
}

type Catalogue = Record<string, { explanation: string; remedy: string }>;

/** Codes a settlement batch can fail with (settlement.events.v1, settlement.batch-failed). */
export const SETTLEMENT_FAILURES: Catalogue = {
  MERCHANT_ACCOUNT_INVALID: {
    explanation: 'the bank account on file was rejected by the receiving bank (wrong number, name or branch)',
    remedy: 'update the bank account in the merchant portal; the payment is paid out again in the next batch',
  },
  MERCHANT_ACCOUNT_FROZEN: {
    explanation: 'the receiving bank reports the account on file as frozen or closed',
    remedy: 'ask your bank to lift the freeze, or add another account in the merchant portal',
  },
  BANK_REJECTED: {
    explanation: 'the receiving bank returned the payout without a more specific reason',
    remedy: 'check the account with your bank; if it is correct, contact support quoting the batch id',
  },
  COMPLIANCE_HOLD: {
    explanation: 'the payout is held for a compliance review (e.g. missing business documents)',
    remedy: 'upload the documents requested in the merchant portal; the payout resumes once the review passes',
  },
  PAYOUT_LIMIT_EXCEEDED: {
    explanation: 'the payout exceeds the daily limit of the receiving account',
    remedy: 'ask your bank to raise the limit; the remainder is paid out in the following batches',
  },
};

/** Codes the bank or payment channel can fail a payment with (clearing.events.v1, status FAILED). */
export const CLEARING_FAILURES: Catalogue = {
  INSUFFICIENT_FUNDS: {
    explanation: "the buyer's account did not hold enough money, so the payment never completed",
    remedy: 'nothing reaches you for this payment; the buyer has to pay again',
  },
  CARD_DECLINED: {
    explanation: "the buyer's bank declined the payment",
    remedy: 'nothing reaches you for this payment; the buyer has to pay again, possibly with another card',
  },
  RISK_REJECTED: {
    explanation: "the channel's risk control rejected the payment",
    remedy: 'nothing reaches you for this payment; if it looks legitimate, ask the buyer to contact their bank',
  },
  CHANNEL_TIMEOUT: {
    explanation: 'the payment channel did not confirm the payment in time and cancelled it',
    remedy: 'nothing reaches you for this payment; any amount taken from the buyer is returned by the channel',
  },
  CURRENCY_NOT_SUPPORTED: {
    explanation: 'the channel cannot clear payments in this currency',
    remedy: 'offer the buyer another channel for this currency',
  },
};

const FALLBACK: Record<FailureSource, { explanation: (code: string) => string; remedy: string }> = {
  SETTLEMENT: {
    explanation: (code) => `the payout to your bank account failed (code ${code})`,
    remedy: 'contact support quoting the payment reference and the code',
  },
  CLEARING: {
    explanation: (code) => `the bank or channel reported that the payment failed (code ${code})`,
    remedy: 'nothing reaches you for this payment; contact support quoting the payment reference if unsure',
  },
};

/** A plain-language explanation and remedy for a failure code, with a fallback for unknown codes. */
export function explainFailure(source: FailureSource, code: string | null): FailureExplanation {
  const known = code ? (source === 'SETTLEMENT' ? SETTLEMENT_FAILURES : CLEARING_FAILURES)[code] : undefined;
  const effective = code ?? 'UNKNOWN';
  return {
    code: effective,
    source,
    explanation: known?.explanation ?? FALLBACK[source].explanation(effective),
    remedy: known?.remedy ?? FALLBACK[source].remedy,
  };
}
