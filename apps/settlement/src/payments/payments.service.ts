import { Inject, Injectable } from '@nestjs/common';
import { parseInstant, type FieldProblem } from '@pt/contracts';
import { ApiError, SERVICE_CONFIG } from '@pt/platform';
import type { SettlementPolicy } from '../calendar/business-calendar.js';
import type { SettlementConfig } from '../config/settlement.config.js';
import { DEFAULT_PAGE_SIZE, type ListPaymentsQuery, type PaymentFilterQuery } from './dto/payment-queries.js';
import { decodeCursor, encodeCursor } from './payment-cursor.js';
import { PAYMENT_STATUSES, toPaymentView, type PaymentStatus, type PaymentView } from './payment-status.js';
import { PaymentStatusRepository, type PaymentFilter } from './payment-status.repository.js';

export interface PaymentPage {
  data: PaymentView[];
  nextCursor: string | null;
}

export interface DailySummary {
  date: string;
  from: string;
  to: string;
  currencies: {
    currency: string | null;
    count: number;
    amountMinor: string;
    byStatus: Record<PaymentStatus, { count: number; amountMinor: string }>;
  }[];
}

const EXPORT_CHUNK = 500;
const MAX_PAYMENTS_PER_ORDER = 200;

/** Answers a merchant's questions about its own payments; every query is scoped to the merchant. */
@Injectable()
export class PaymentsService {
  private readonly policy: SettlementPolicy;

  constructor(
    private readonly payments: PaymentStatusRepository,
    @Inject(SERVICE_CONFIG) config: SettlementConfig,
  ) {
    this.policy = config.settlementPolicy();
  }

  /** Another merchant's payment answers exactly like one that does not exist. */
  async get(merchantId: string, paymentReference: string): Promise<PaymentView> {
    const row = await this.payments.findByReference(merchantId, paymentReference);
    if (!row) throw ApiError.notFound('payment');
    return toPaymentView(row, this.policy);
  }

  async byOrderNumber(merchantId: string, orderNumber: string): Promise<PaymentPage> {
    const rows = await this.payments.findByOrderNumber(merchantId, orderNumber, MAX_PAYMENTS_PER_ORDER);
    if (rows.length === 0) throw ApiError.notFound('payment');
    return { data: rows.map((r) => toPaymentView(r, this.policy)), nextCursor: null };
  }

  async list(merchantId: string, query: ListPaymentsQuery): Promise<PaymentPage> {
    if (query.orderNumber !== undefined) {
      const others = (['status', 'from', 'to', 'limit', 'cursor'] as const).filter((k) => query[k] !== undefined);
      if (others.length > 0) {
        throw ApiError.validation(
          others.map((field) => ({ field, message: `${field} cannot be combined with orderNumber, which selects the payments of one order` })),
        );
      }
      return this.byOrderNumber(merchantId, query.orderNumber);
    }
    const filter = this.filterOf(query);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.payments.listPage(merchantId, filter, query.cursor ? decodeCursor(query.cursor) : undefined, limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map((r) => toPaymentView(r, this.policy)),
      nextCursor: rows.length > limit && last ? encodeCursor({ at: last.first_seen_key, ref: last.payment_reference }) : null,
    };
  }

  /** Every matching payment, in pages read one after the other, for a streamed export. */
  async *exportAll(merchantId: string, query: PaymentFilterQuery): AsyncGenerator<PaymentView[]> {
    const filter = this.filterOf(query);
    let after: { at: string; ref: string } | undefined;
    for (;;) {
      const rows = await this.payments.listPage(merchantId, filter, after, EXPORT_CHUNK);
      if (rows.length > 0) yield rows.map((r) => toPaymentView(r, this.policy));
      if (rows.length < EXPORT_CHUNK) return;
      const last = rows[rows.length - 1];
      after = { at: last.first_seen_key, ref: last.payment_reference };
    }
  }

  /** Counts and amounts per currency and status of the payments first seen on a UTC day. */
  async summary(merchantId: string, date: string): Promise<DailySummary> {
    const from = new Date(`${date}T00:00:00Z`);
    const to = new Date(from.getTime() + 86_400_000);
    const totals = await this.payments.totals(merchantId, from, to);
    const currencies = new Map<string | null, DailySummary['currencies'][number]>();
    for (const t of totals) {
      let entry = currencies.get(t.currency);
      if (!entry) {
        entry = {
          currency: t.currency,
          count: 0,
          amountMinor: '0',
          byStatus: Object.fromEntries(PAYMENT_STATUSES.map((s) => [s, { count: 0, amountMinor: '0' }])) as DailySummary['currencies'][number]['byStatus'],
        };
        currencies.set(t.currency, entry);
      }
      entry.byStatus[t.status] = { count: t.count, amountMinor: t.amountMinor };
      entry.count += t.count;
      entry.amountMinor = (BigInt(entry.amountMinor) + BigInt(t.amountMinor)).toString();
    }
    return { date, from: from.toISOString(), to: to.toISOString(), currencies: [...currencies.values()] };
  }

  private filterOf(query: PaymentFilterQuery): PaymentFilter {
    const from = query.from ? parseInstant(query.from) : undefined;
    const to = query.to ? parseInstant(query.to) : undefined;
    const problems: FieldProblem[] = [];
    if (from && to && from >= to) problems.push({ field: 'to', message: 'to must be later than from' });
    if (problems.length > 0) throw ApiError.validation(problems);
    return {
      ...(query.status ? { statuses: [...new Set(query.status.split(','))] as PaymentStatus[] } : {}),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
    };
  }
}
