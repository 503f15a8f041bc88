import { Injectable } from '@nestjs/common';
import type { ClearingStatus, ClearingStatusChangedV1 } from '@pt/contracts';
import { queryRows } from '@pt/database';
import type { MerchantConflict } from '@pt/kafka';
import { DataSource, type EntityManager } from 'typeorm';
import type { ClearingFacts } from './clearing.facts.js';

/** The clearing mirror: the latest status each payment reached at the bank or channel. */
@Injectable()
export class ClearingRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Stores the status unless a record with a higher version (or the same version and a
   * later time) is already there: a late, older event never overwrites a newer state.
   * `applied` is true when the stored state changed.
   *
   * Never moves a payment to another merchant: when the event names a merchant other than
   * the one stored (compared case-insensitively), nothing is written and the record is
   * returned in `otherMerchant`; the caller must then roll its transaction back (the event
   * is dead-lettered).
   */
  async apply(m: EntityManager, e: ClearingStatusChangedV1): Promise<{ applied: boolean; otherMerchant: MerchantConflict[] }> {
    const rows: unknown[] = await m.query(
      `INSERT INTO reconciliation.clearing_records
         (payment_reference, order_number, channel, status, failure_code, amount_minor, currency, version, status_at, merchant_id)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)
       ON CONFLICT (payment_reference) DO UPDATE SET
         status = EXCLUDED.status, failure_code = EXCLUDED.failure_code, amount_minor = EXCLUDED.amount_minor,
         currency = EXCLUDED.currency, version = EXCLUDED.version, status_at = EXCLUDED.status_at,
         channel = EXCLUDED.channel, order_number = EXCLUDED.order_number,
         merchant_id = COALESCE(EXCLUDED.merchant_id, reconciliation.clearing_records.merchant_id), updated_at = now()
       WHERE (reconciliation.clearing_records.merchant_id IS NULL OR EXCLUDED.merchant_id IS NULL
              OR lower(reconciliation.clearing_records.merchant_id) = lower(EXCLUDED.merchant_id))
         AND (reconciliation.clearing_records.version, reconciliation.clearing_records.status_at) < (EXCLUDED.version, EXCLUDED.status_at)
       RETURNING payment_reference`,
      [e.paymentReference, e.orderNumber, e.channel, e.status, e.failureCode ?? null, e.amountMinor, e.currency, e.version, e.statusAt, e.merchantId ?? null],
    );
    if (e.merchantId) {
      // The record exists now; the upsert's guard ran on its latest version under the row
      // lock, so no concurrent event (on any replica) changed its merchant in between.
      const other = await queryRows<{ merchant_id: string }>(
        m,
        `SELECT merchant_id FROM reconciliation.clearing_records
          WHERE payment_reference = $1 AND lower(merchant_id) <> lower($2) FOR UPDATE`,
        [e.paymentReference, e.merchantId],
      );
      if (other.length > 0) return { applied: false, otherMerchant: [{ paymentReference: e.paymentReference, merchantId: other[0].merchant_id }] };
    }
    return { applied: rows.length > 0, otherMerchant: [] };
  }

  async recordsOf(m: EntityManager, orderNumber: string): Promise<ClearingFacts[]> {
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT * FROM reconciliation.clearing_records WHERE order_number = $1 ORDER BY status_at, payment_reference`,
      [orderNumber],
    );
    return rows.map((r) => ({
      paymentReference: r.payment_reference as string,
      channel: r.channel as string,
      status: r.status as ClearingStatus,
      failureCode: (r.failure_code as string | null) ?? null,
      amountMinor: String(r.amount_minor),
      currency: (r.currency as string).trim(),
      version: Number(r.version),
      statusAt: new Date(r.status_at as Date).toISOString(),
    }));
  }

  /**
   * Stores what a channel's statement says of payments still CLEARING in the mirror (or not
   * in it at all), unless the mirror already holds a later state. Returns the orders whose
   * stored state changed.
   */
  async applyStatementStatuses(m: EntityManager, channel: string, rows: StatementStatus[]): Promise<string[]> {
    if (rows.length === 0) return [];
    const changed = await queryRows<{ order_number: string }>(
      m,
      `INSERT INTO reconciliation.clearing_records
         (payment_reference, order_number, channel, status, failure_code, amount_minor, currency, version, status_at)
       SELECT s.payment_reference, s.order_number, $1, s.status,
              CASE WHEN s.status = 'FAILED' THEN 'STATEMENT_FAILED' END,
              s.amount_minor, s.currency, 0, s.status_at
         FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::timestamptz[])
           AS s(payment_reference, order_number, status, amount_minor, currency, status_at)
       ON CONFLICT (payment_reference) DO UPDATE SET
         status = EXCLUDED.status, failure_code = EXCLUDED.failure_code, status_at = EXCLUDED.status_at, updated_at = now()
       WHERE reconciliation.clearing_records.status = 'CLEARING' AND EXCLUDED.status <> 'CLEARING'
         AND reconciliation.clearing_records.status_at <= EXCLUDED.status_at
       RETURNING order_number`,
      [
        channel,
        rows.map((r) => r.paymentReference),
        rows.map((r) => r.orderNumber),
        rows.map((r) => r.status),
        rows.map((r) => r.amountMinor),
        rows.map((r) => r.currency),
        rows.map((r) => r.statusAt),
      ],
    );
    return [...new Set(changed.map((r) => r.order_number))];
  }

  async channelsWithRecords(from: Date, to: Date): Promise<string[]> {
    const rows: { channel: string }[] = await this.dataSource.query(
      `SELECT DISTINCT channel FROM reconciliation.clearing_records WHERE status_at >= $1 AND status_at < $2 ORDER BY channel`,
      [from, to],
    );
    return rows.map((r) => r.channel);
  }
}

/**
 * A payment's state as a statement reports it. Amount and time travel as the database
 * wrote them (text), so nothing is rounded on the way (timestamps keep their microseconds).
 */
export interface StatementStatus {
  paymentReference: string;
  orderNumber: string | null;
  status: string;
  amountMinor: string | null;
  currency: string | null;
  statusAt: string | null;
}
