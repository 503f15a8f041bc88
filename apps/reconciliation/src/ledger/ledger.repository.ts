import { Injectable } from '@nestjs/common';
import type {
  CardKeyDeliveredV1,
  CardKeyStatusChangedV1,
  DeliveryFailedV1,
  OrderExpiredV1,
  OrderPlacedV1,
  OrderRefundedV1,
  PaymentRecordedV1,
} from '@pt/contracts';
import type { EntityManager } from 'typeorm';
import type { MirroredDelivery, OrderFacts, PaymentFacts } from './ledger.facts.js';

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

/** The ledger mirror: orders, payments and deliveries as the shop reported them. */
@Injectable()
export class LedgerRepository {
  /** True when the order was new to the mirror. */
  async upsertOrder(m: EntityManager, e: OrderPlacedV1): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `INSERT INTO reconciliation.ledger_orders
         (order_number, account_id, phone_last4_hash, merchant_id, sku, quantity, amount_minor, currency, placed_at, expires_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)
       ON CONFLICT (order_number) DO NOTHING RETURNING order_number`,
      [e.orderNumber, e.accountId, e.phoneLast4Hash ?? null, e.merchantId, e.sku, e.quantity, e.amountMinor, e.currency, e.placedAt, e.expiresAt ?? null],
    );
    return rows.length > 0;
  }

  async recordPayment(m: EntityManager, e: PaymentRecordedV1, correctionIncidentId: string | null = null): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `INSERT INTO reconciliation.ledger_payments
         (payment_reference, order_number, channel, amount_minor, currency, paid_at, is_correction, correction_incident_id)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
       ON CONFLICT (payment_reference) DO NOTHING RETURNING payment_reference`,
      [e.paymentReference, e.orderNumber, e.channel, e.amountMinor, e.currency, e.paidAt, correctionIncidentId !== null, correctionIncidentId],
    );
    return rows.length > 0;
  }

  /**
   * A key the shop delivered fills the lowest line of the order no other delivered key
   * holds. Taken under the order lock triage holds while it issues (the same key as
   * TriageRepository.lockOrder), so a delivery and a re-issue never both take one line.
   */
  async recordDelivery(m: EntityManager, eventId: string, e: CardKeyDeliveredV1): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('triage-order:' || $1))`, [e.orderNumber]);
    await m.query(
      `INSERT INTO reconciliation.ledger_deliveries (id, order_number, card_key_ref, source, status, event_id, occurred_at, line_no)
       SELECT $1, $2, $3, 'SHOP', 'DELIVERED', $4, $5,
              (SELECT min(n)::int FROM generate_series(1, (SELECT count(*) + 1 FROM reconciliation.ledger_deliveries
                                                              WHERE order_number = $2 AND status = 'DELIVERED')) AS n
                WHERE NOT EXISTS (SELECT 1 FROM reconciliation.ledger_deliveries h
                                   WHERE h.order_number = $2 AND h.status = 'DELIVERED' AND h.line_no = n))
       ON CONFLICT (event_id) DO NOTHING`,
      [crypto.randomUUID(), e.orderNumber, e.cardKeyRef, eventId, e.deliveredAt],
    );
  }

  /** A key the vault issued for one line of the order (the line of its issuance). */
  async recordReissueDelivery(m: EntityManager, orderNumber: string, lineNo: number, cardKeyId: string, at: Date): Promise<void> {
    await m.query(
      `INSERT INTO reconciliation.ledger_deliveries (id, order_number, card_key_ref, source, status, occurred_at, line_no)
       VALUES ($1,$2,$3,'REISSUE','DELIVERED',$4,$5)`,
      [crypto.randomUUID(), orderNumber, cardKeyId, at, lineNo],
    );
  }

  async recordDeliveryFailure(m: EntityManager, eventId: string, e: DeliveryFailedV1): Promise<void> {
    await m.query(
      `INSERT INTO reconciliation.ledger_deliveries (id, order_number, source, status, failure_reason, event_id, occurred_at)
       VALUES ($1,$2,'SHOP','FAILED',$3,$4,$5) ON CONFLICT (event_id) DO NOTHING`,
      [crypto.randomUUID(), e.orderNumber, e.reason, eventId, e.failedAt],
    );
  }

  async revokeDeliveries(m: EntityManager, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await m.query(`UPDATE reconciliation.ledger_deliveries SET status = 'REVOKED' WHERE id = ANY($1::uuid[])`, [ids]);
  }

  async markOrder(m: EntityManager, e: OrderExpiredV1 | OrderRefundedV1, status: 'EXPIRED' | 'REFUNDED'): Promise<void> {
    await m.query(`UPDATE reconciliation.ledger_orders SET status = $2, updated_at = now() WHERE order_number = $1`, [e.orderNumber, status]);
  }

  async findOrder(m: EntityManager, orderNumber: string): Promise<OrderFacts | null> {
    const rows: Record<string, unknown>[] = await m.query(`SELECT * FROM reconciliation.ledger_orders WHERE order_number = $1`, [orderNumber]);
    const r = rows[0];
    if (!r) return null;
    return {
      orderNumber: r.order_number as string,
      accountId: r.account_id as string,
      phoneLast4Hash: (r.phone_last4_hash as string | null) ?? null,
      merchantId: r.merchant_id as string,
      sku: r.sku as string,
      quantity: r.quantity as number,
      amountMinor: String(r.amount_minor),
      currency: (r.currency as string).trim(),
      placedAt: iso(r.placed_at as Date)!,
      expiresAt: iso(r.expires_at as Date | null),
      status: r.status as string,
    };
  }

  async paymentsOf(m: EntityManager, orderNumber: string): Promise<PaymentFacts[]> {
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT * FROM reconciliation.ledger_payments WHERE order_number = $1 ORDER BY paid_at, payment_reference`,
      [orderNumber],
    );
    return rows.map((r) => ({
      paymentReference: r.payment_reference as string,
      channel: r.channel as string,
      amountMinor: String(r.amount_minor),
      currency: (r.currency as string).trim(),
      paidAt: iso(r.paid_at as Date)!,
      isCorrection: r.is_correction as boolean,
    }));
  }

  /**
   * Records what the shop or supplier says about a delivered key that the vault did not
   * take (see LedgerEventsConsumer), in card_key_states. A later report wins.
   */
  async recordKeyStatus(m: EntityManager, e: CardKeyStatusChangedV1): Promise<void> {
    await m.query(
      `INSERT INTO reconciliation.card_key_states (card_key_ref, status, redeemed_by_account_id, at) VALUES ($1,$2,$3,$4)
       ON CONFLICT (card_key_ref) DO UPDATE SET status = EXCLUDED.status, redeemed_by_account_id = EXCLUDED.redeemed_by_account_id, at = EXCLUDED.at
       WHERE reconciliation.card_key_states.at < EXCLUDED.at`,
      [e.cardKeyRef, e.status, e.redeemedByAccountId ?? null, e.at],
    );
  }

  /** Delivered (not revoked) card keys of an order, with what the shop or supplier last reported of each key. */
  async deliveriesOf(m: EntityManager, orderNumber: string): Promise<MirroredDelivery[]> {
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT d.id, d.card_key_ref, d.source, d.occurred_at, d.line_no, s.status AS reported_status, s.redeemed_by_account_id AS reported_redeemed_by
         FROM reconciliation.ledger_deliveries d
         LEFT JOIN reconciliation.card_key_states s ON s.card_key_ref = d.card_key_ref
        WHERE d.order_number = $1 AND d.status = 'DELIVERED'
        ORDER BY d.occurred_at, d.id`,
      [orderNumber],
    );
    return rows.map((r) => ({
      deliveryId: r.id as string,
      lineNo: (r.line_no as number | null) ?? null,
      cardKeyRef: (r.card_key_ref as string | null) ?? null,
      source: r.source as 'SHOP' | 'REISSUE',
      deliveredAt: iso(r.occurred_at as Date)!,
      reportedStatus: (r.reported_status as string | null) ?? null,
      reportedRedeemedBy: (r.reported_redeemed_by as string | null) ?? null,
    }));
  }

  async accountOf(m: EntityManager, orderNumber: string): Promise<string | null> {
    const rows: { account_id: string }[] = await m.query(`SELECT account_id FROM reconciliation.ledger_orders WHERE order_number = $1`, [orderNumber]);
    return rows[0]?.account_id ?? null;
  }

  /** The orders a card key was delivered to (revoked deliveries included). */
  async ordersOfKey(m: EntityManager, cardKeyRef: string): Promise<string[]> {
    const rows: { order_number: string }[] = await m.query(`SELECT DISTINCT order_number FROM reconciliation.ledger_deliveries WHERE card_key_ref = $1`, [
      cardKeyRef,
    ]);
    return rows.map((r) => r.order_number);
  }

  /** The card keys delivered (and not revoked) to an order, each with the line it fills. */
  async deliveredKeyLines(m: EntityManager, orderNumber: string): Promise<{ cardKeyRef: string; lineNo: number | null }[]> {
    const rows: { card_key_ref: string; line_no: number | null }[] = await m.query(
      `SELECT card_key_ref, line_no FROM reconciliation.ledger_deliveries
        WHERE order_number = $1 AND status = 'DELIVERED' AND card_key_ref IS NOT NULL ORDER BY line_no NULLS LAST, occurred_at`,
      [orderNumber],
    );
    return rows.map((r) => ({ cardKeyRef: r.card_key_ref, lineNo: r.line_no }));
  }
}
