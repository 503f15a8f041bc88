import { Controller, Get, Param, Query, Res, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiError, ApiMerchantAuth, ApiNotFound, ApiValidationFailed } from '@pt/platform';
import type { Response } from 'express';
import { once } from 'node:events';
import { CurrentMerchant, MerchantAuthGuard, MerchantRateLimitGuard } from '../auth/merchant-auth.guard.js';
import type { KeyHolder } from '../merchants/merchants.repository.js';
import { DEFAULT_PAGE_SIZE, ListPaymentsQuery, MAX_PAGE_SIZE, PaymentFilterQuery, SummaryQuery } from './dto/payment-queries.js';
import { DailySummaryResponse, PaymentPageResponse, PaymentResponse } from './dto/payment-responses.js';
import type { PaymentView } from './payment-status.js';
import { CSV_COLUMNS, csvHeader, csvLine } from './payments-csv.js';
import { PaymentsService, type DailySummary, type PaymentPage } from './payments.service.js';

/** A merchant's own payments: where the money is. */
@Controller('v1/payments')
@UseGuards(MerchantAuthGuard, MerchantRateLimitGuard)
@ApiTags('payments')
@ApiMerchantAuth()
@ApiValidationFailed()
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Get()
  @ApiOperation({
    operationId: 'listPayments',
    summary: 'List payments, or find the payments of one order',
    description: [
      `With \`orderNumber\`, the payments of that order (usually one; 404 when the merchant has none), and no other parameter is allowed.`,
      `Otherwise the merchant's payments, newest first by \`firstSeenAt\`, ${DEFAULT_PAGE_SIZE} per page unless \`limit\` says otherwise (at most ${MAX_PAGE_SIZE}). Pass \`nextCursor\` back as \`cursor\` for the next page; it is null on the last page.`,
    ].join('\n\n'),
  })
  @ApiOkResponse({ type: PaymentPageResponse, description: 'a page of payments' })
  @ApiNotFound('the merchant has no payment of that order number')
  list(@CurrentMerchant() merchant: KeyHolder, @Query() query: ListPaymentsQuery): Promise<PaymentPage> {
    return this.payments.list(merchant.merchantId, query);
  }

  @Get('summary')
  @ApiOperation({ operationId: 'dailySummary', summary: 'Counts and amounts per currency and status of the payments first seen on a UTC day' })
  @ApiOkResponse({ type: DailySummaryResponse, description: 'the day in figures' })
  summary(@CurrentMerchant() merchant: KeyHolder, @Query() query: SummaryQuery): Promise<DailySummary> {
    return this.payments.summary(merchant.merchantId, query.date);
  }

  /** Streams the whole filtered list as CSV, a page at a time, honouring back-pressure. */
  @Get('export.csv')
  @ApiOperation({
    operationId: 'exportPayments',
    summary: 'The filtered list of payments as CSV, streamed (all pages)',
    description: `Columns: ${CSV_COLUMNS.join(', ')}. Fields that begin with = + - @ are prefixed with an apostrophe so spreadsheets do not run them.`,
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'CSV, one header line then one line per payment', schema: { type: 'string' } })
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
  @ApiOperation({ operationId: 'getPayment', summary: 'Where the money of one payment is' })
  @ApiParam({ name: 'paymentReference', description: 'the bank or channel reference', schema: { type: 'string', minLength: 1, maxLength: 128 } })
  @ApiOkResponse({ type: PaymentResponse, description: 'the payment' })
  @ApiNotFound('no payment of that reference, or it belongs to another merchant: the two answers are identical')
  get(@CurrentMerchant() merchant: KeyHolder, @Param('paymentReference') paymentReference: string): Promise<PaymentView> {
    if (paymentReference.length > 128) throw ApiError.validation([{ field: 'paymentReference', message: 'paymentReference must be at most 128 characters' }]);
    return this.payments.get(merchant.merchantId, paymentReference);
  }
}
