import { Injectable } from '@nestjs/common';
import type { ClearingStatusChangedV1 } from '@pt/contracts';
import type { MerchantConflict } from '@pt/kafka';
import { DataSource, type EntityManager } from 'typeorm';
import type { PaymentCursor } from './payment-cursor.js';
import type { PaymentRow, PaymentStatus } from './payment-status.js';

/** A settlement batch outcome as applied to each payment in it. */
export interface BatchOutcome {
  batchId: string;
  merchantId: string;
  outcome: 'PAID' | 'FAILED';
  failureCode: string | null;
  /** paidAt or failedAt: decides which batch event is newer. */
  at: string;
  currency: string | null;
  destinationAccountMasked: string | null;
  payments: { paymentReference: string; amountMinor: string }[];
}

export interface PaymentFilter {
  statuses?: PaymentStatus[];
  from?: Date;
  to?: Date;
}

export interface StatusTotal {
  currency: string | null;
  status: PaymentStatus;
  count: number;
  amountMinor: string;
}

const COLUMNS = `payment_reference, order_number, merchant_id, channel, clearing_status, failure_code, amount_minor::text AS amount_minor,
  currency, clearing_status_at, cleared_at, first_seen_at,
  to_char(first_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS first_seen_key,
  batch_id, batch_outcome, batch_failure_code, batch_event_at, destination_account_masked, status, updated_at`;

/** The merchant-facing read model of each payment's clearing and settlement state. */
@Injectable()
export class PaymentStatusRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Applies a clearing status unless a newer one (higher version, then later time) is
   * stored. A row created by a settlement batch has no clearing state yet and takes any.
   *
   * Never moves a payment to another merchant: when the event names a merchant other than
   * the one stored, nothing is written and the payment is returned in `otherMerchant`; the
   * caller must then roll its transaction back (the event is dead-lettered).
   */
  async applyClearing(m: EntityManager, e: ClearingStatusChangedV1): Promise<{ applied: boolean; otherMerchant: MerchantConflict[] }> {
    const rows: unknown[] = await m.query(
      `INSERT INTO settlement.payments AS p
         (payment_reference, order_number, merchant_id, channel, clearing_status, failure_code, amount_minor, currency,
          clearing_version, clearing_status_at, cleared_at, first_seen_at)
       VALUES ($1,$2,lower($3),$4,$5,$6,$7,$8,$9,$10, CASE WHEN $5 = 'CLEARED' THEN $10::timestamptz END, $10)
       ON CONFLICT (payment_reference) DO UPDATE SET
         order_number = EXCLUDED.order_number, channel = EXCLUDED.channel,
         clearing_status = EXCLUDED.clearing_status, failure_code = EXCLUDED.failure_code,
         amount_minor = EXCLUDED.amount_minor, currency = EXCLUDED.currency,
         clearing_version = EXCLUDED.clearing_version, clearing_status_at = EXCLUDED.clearing_status_at,
         merchant_id = COALESCE(EXCLUDED.merchant_id, p.merchant_id),
         cleared_at = COALESCE(EXCLUDED.cleared_at, p.cleared_at), updated_at = now()
       WHERE (p.merchant_id IS NULL OR EXCLUDED.merchant_id IS NULL OR p.merchant_id = EXCLUDED.merchant_id)
         AND (p.clearing_version IS NULL
          OR (p.clearing_version, p.clearing_status_at) < (EXCLUDED.clearing_version, EXCLUDED.clearing_status_at))
       RETURNING payment_reference`,
      [e.paymentReference, e.orderNumber, e.merchantId ?? null, e.channel, e.status, e.failureCode ?? null, e.amountMinor, e.currency, e.version, e.statusAt],
    );
    if (e.merchantId) {
      const otherMerchant = await this.heldByOtherMerchant(m, [e.paymentReference], e.merchantId);
      if (otherMerchant.length > 0) return { applied: false, otherMerchant };
    }
    await this.keepEarliestSighting(m, [e.paymentReference], e.statusAt);
    if (e.status === 'CLEARED') await this.keepLatestClearing(m, e.paymentReference, e.statusAt);
    return { applied: rows.length > 0, otherMerchant: [] };
  }

  /**
   * The payments among `refs` stored under a merchant other than `merchantId`, locked until
   * the transaction ends. Called after the upsert that names them: every one of them exists
   * by then, and the upsert's own guard (`p.merchant_id = EXCLUDED.merchant_id`, evaluated on
   * the latest row version under its row lock) means no concurrent event can have changed
   * the merchant in between, on any replica.
   */
  private async heldByOtherMerchant(m: EntityManager, refs: string[], merchantId: string): Promise<MerchantConflict[]> {
    const rows: { payment_reference: string; merchant_id: string }[] = await m.query(
      `SELECT payment_reference, merchant_id FROM settlement.payments
        WHERE payment_reference = ANY($1::text[]) AND merchant_id <> lower($2)
        ORDER BY payment_reference FOR UPDATE`,
      [refs, merchantId],
    );
    return rows.map((r) => ({ paymentReference: r.payment_reference, merchantId: r.merchant_id }));
  }

  /**
   * A CLEARED event says when the money cleared even when it arrives after a newer status
   * (a reversal overtook it): the clearing time is the latest CLEARED seen, whatever the
   * order the events came in.
   */
  private async keepLatestClearing(m: EntityManager, paymentReference: string, at: string): Promise<void> {
    await m.query(`UPDATE settlement.payments SET cleared_at = $2 WHERE payment_reference = $1 AND (cleared_at IS NULL OR cleared_at < $2::timestamptz)`, [
      paymentReference,
      at,
    ]);
  }

  /**
   * Applies a settlement batch outcome to each of its payments, unless a newer batch
   * event (later paid/failed time; at the same time, a failure) is stored for it.
   * Returns the references whose state changed.
   *
   * All or nothing as to merchants: when any payment of the batch is stored under another
   * merchant than the batch's, no payment is written and those payments are returned in
   * `otherMerchant`; the caller must then roll its transaction back (the event is dead-lettered).
   */
  async applySettlementBatch(m: EntityManager, batch: BatchOutcome): Promise<{ changed: string[]; otherMerchant: MerchantConflict[] }> {
    // Sorted, so two batches touching the same payments lock them in the same order.
    const payments = [...batch.payments].sort((a, b) => (a.paymentReference < b.paymentReference ? -1 : a.paymentReference > b.paymentReference ? 1 : 0));
    const rows: { payment_reference: string }[] = await m.query(
      `INSERT INTO settlement.payments AS p
         (payment_reference, merchant_id, amount_minor, currency, batch_id, batch_outcome, batch_failure_code, batch_event_at,
          destination_account_masked, first_seen_at)
       SELECT t.ref, lower($1), t.amount::bigint, $2, $3, $4, $5, $6::timestamptz, $7, $6::timestamptz
         FROM unnest($8::text[], $9::text[]) AS t(ref, amount)
       ON CONFLICT (payment_reference) DO UPDATE SET
         merchant_id = COALESCE(p.merchant_id, EXCLUDED.merchant_id),
         currency = COALESCE(p.currency, EXCLUDED.currency),
         batch_id = EXCLUDED.batch_id, batch_outcome = EXCLUDED.batch_outcome,
         batch_failure_code = EXCLUDED.batch_failure_code, batch_event_at = EXCLUDED.batch_event_at,
         destination_account_masked = EXCLUDED.destination_account_masked, updated_at = now()
       WHERE (p.merchant_id IS NULL OR p.merchant_id = EXCLUDED.merchant_id)
         AND (p.batch_event_at IS NULL
          OR (p.batch_event_at, CASE p.batch_outcome WHEN 'FAILED' THEN 1 ELSE 0 END, p.batch_id)
           < (EXCLUDED.batch_event_at, CASE EXCLUDED.batch_outcome WHEN 'FAILED' THEN 1 ELSE 0 END, EXCLUDED.batch_id))
       RETURNING payment_reference`,
      [
        batch.merchantId,
        batch.currency,
        batch.batchId,
        batch.outcome,
        batch.failureCode,
        batch.at,
        batch.destinationAccountMasked,
        payments.map((p) => p.paymentReference),
        payments.map((p) => p.amountMinor),
      ],
    );
    const refs = payments.map((p) => p.paymentReference);
    const otherMerchant = await this.heldByOtherMerchant(m, refs, batch.merchantId);
    if (otherMerchant.length > 0) return { changed: [], otherMerchant };
    await this.keepEarliestSighting(m, refs, batch.at);
    return { changed: rows.map((r) => r.payment_reference), otherMerchant: [] };
  }

  /** A late event about an earlier moment moves the payment's first sighting back. */
  private async keepEarliestSighting(m: EntityManager, refs: string[], at: string): Promise<void> {
    await m.query(`UPDATE settlement.payments SET first_seen_at = $2 WHERE payment_reference = ANY($1::text[]) AND first_seen_at > $2::timestamptz`, [
      refs,
      at,
    ]);
  }

  async findByReference(merchantId: string, paymentReference: string): Promise<PaymentRow | null> {
    const rows: PaymentRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM settlement.payments WHERE merchant_id = $1 AND payment_reference = $2`, [
      merchantId,
      paymentReference,
    ]);
    return rows[0] ?? null;
  }

  async findByOrderNumber(merchantId: string, orderNumber: string, limit: number): Promise<PaymentRow[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM settlement.payments WHERE merchant_id = $1 AND order_number = $2
        ORDER BY first_seen_at DESC, payment_reference DESC LIMIT $3`,
      [merchantId, orderNumber, limit],
    );
  }

  /** One page of a merchant's payments, newest first, strictly after `after`. */
  async listPage(merchantId: string, filter: PaymentFilter, after: PaymentCursor | undefined, limit: number): Promise<PaymentRow[]> {
    const where = ['merchant_id = $1'];
    const params: unknown[] = [merchantId];
    const add = (clause: (n: string) => string, value: unknown) => {
      params.push(value);
      where.push(clause(`$${params.length}`));
    };
    if (filter.statuses?.length) add((n) => `status = ANY(${n}::text[])`, filter.statuses);
    if (filter.from) add((n) => `first_seen_at >= ${n}`, filter.from);
    if (filter.to) add((n) => `first_seen_at < ${n}`, filter.to);
    if (after) {
      params.push(after.at, after.ref);
      where.push(`(first_seen_at, payment_reference) < ($${params.length - 1}::timestamptz, $${params.length})`);
    }
    params.push(limit);
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM settlement.payments WHERE ${where.join(' AND ')}
        ORDER BY first_seen_at DESC, payment_reference DESC LIMIT $${params.length}`,
      params,
    );
  }

  /** Count and sum per currency and status of the payments first seen in [from, to). */
  async totals(merchantId: string, from: Date, to: Date): Promise<StatusTotal[]> {
    const rows: { currency: string | null; status: PaymentStatus; count: number; amount_minor: string }[] = await this.dataSource.query(
      `SELECT currency, status, count(*)::int AS count, sum(amount_minor)::text AS amount_minor
         FROM settlement.payments
        WHERE merchant_id = $1 AND first_seen_at >= $2 AND first_seen_at < $3
        GROUP BY currency, status ORDER BY currency NULLS LAST, status`,
      [merchantId, from, to],
    );
    return rows.map((r) => ({ currency: r.currency?.trim() ?? null, status: r.status, count: r.count, amountMinor: r.amount_minor }));
  }
}
