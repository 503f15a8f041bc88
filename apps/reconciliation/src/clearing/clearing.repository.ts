import { Injectable } from '@nestjs/common';
import type { ClearingStatus, ClearingStatusChangedV1 } from '@pt/contracts';
import type { EntityManager } from 'typeorm';
import type { ClearingFacts } from '../triage/evidence.js';

/** The clearing mirror: the latest status each payment reached at the bank or channel. */
@Injectable()
export class ClearingRepository {
  /**
   * Stores the status unless a record with a higher version (or the same version and a
   * later time) is already there: a late, older event never overwrites a newer state.
   * Returns true when the stored state changed.
   */
  async apply(m: EntityManager, e: ClearingStatusChangedV1): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `INSERT INTO reconciliation.clearing_records
         (payment_reference, order_number, channel, status, failure_code, amount_minor, currency, version, status_at, merchant_id)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)
       ON CONFLICT (payment_reference) DO UPDATE SET
         status = EXCLUDED.status, failure_code = EXCLUDED.failure_code, amount_minor = EXCLUDED.amount_minor,
         currency = EXCLUDED.currency, version = EXCLUDED.version, status_at = EXCLUDED.status_at,
         channel = EXCLUDED.channel, order_number = EXCLUDED.order_number,
         merchant_id = COALESCE(EXCLUDED.merchant_id, reconciliation.clearing_records.merchant_id), updated_at = now()
       WHERE (reconciliation.clearing_records.version, reconciliation.clearing_records.status_at) < (EXCLUDED.version, EXCLUDED.status_at)
       RETURNING payment_reference`,
      [e.paymentReference, e.orderNumber, e.channel, e.status, e.failureCode ?? null, e.amountMinor, e.currency, e.version, e.statusAt, e.merchantId ?? null],
    );
    return rows.length > 0;
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
}
