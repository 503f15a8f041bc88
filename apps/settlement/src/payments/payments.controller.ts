import { Controller, Get, Param, Query, Res, UseGuards } from '@nestjs/common';
import { ApiError } from '@pt/platform';
import type { Response } from 'express';
import { once } from 'node:events';
import { CurrentMerchant, MerchantAuthGuard, MerchantRateLimitGuard } from '../auth/merchant-auth.guard.js';
import type { KeyHolder } from '../merchants/merchants.repository.js';
import { ListPaymentsQuery, PaymentFilterQuery, SummaryQuery } from './dto/payment-queries.js';
import type { PaymentView } from './payment-status.js';
import { csvHeader, csvLine } from './payments-csv.js';
import { PaymentsService, type DailySummary, type PaymentPage } from './payments.service.js';

/** A merchant's own payments: where the money is. */
@Controller('v1/payments')
@UseGuards(MerchantAuthGuard, MerchantRateLimitGuard)
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Get()
  list(@CurrentMerchant() merchant: KeyHolder, @Query() query: ListPaymentsQuery): Promise<PaymentPage> {
    return this.payments.list(merchant.merchantId, query);
  }

  @Get('summary')
  summary(@CurrentMerchant() merchant: KeyHolder, @Query() query: SummaryQuery): Promise<DailySummary> {
    return this.payments.summary(merchant.merchantId, query.date);
  }

  /** Streams the whole filtered list as CSV, a page at a time, honouring back-pressure. */
  @Get('export.csv')
  async exportCsv(@CurrentMerchant() merchant: KeyHolder, @Query() query: PaymentFilterQuery, @Res() res: Response): Promise<void> {
    const pages = this.payments.exportAll(merchant.merchantId, query);
    // Read the first page before answering, so a bad filter still gets a JSON 400.
    const first = await pages.next();
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="payments-${new Date().toISOString().slice(0, 10)}.csv"`);
    res.setHeader('Cache-Control', 'no-store');
    const write = async (text: string) => {
      if (!res.write(text)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
    };
    try {
      await write(csvHeader());
      const writePage = async (page: PaymentView[]) => {
        for (const payment of page) await write(csvLine(payment));
      };
      if (!first.done) await writePage(first.value);
      for await (const page of pages) {
        if (res.destroyed) return;
        await writePage(page);
      }
      res.end();
    } catch (error) {
      // Headers are gone: the only honest signal left is an aborted response.
      res.destroy(error as Error);
    }
  }

  @Get(':paymentReference')
  get(@CurrentMerchant() merchant: KeyHolder, @Param('paymentReference') paymentReference: string): Promise<PaymentView> {
    if (paymentReference.length > 128) throw ApiError.validation([{ field: 'paymentReference', message: 'paymentReference must be at most 128 characters' }]);
    return this.payments.get(merchant.merchantId, paymentReference);
  }
}
