import { Body, Controller, Headers, HttpStatus, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiError, BuyerTokenVerifier, channelOf } from '@pt/platform';
import type { Request, Response } from 'express';
import { ChannelClientGuard } from '../channel-clients/channel-client.guard.js';
import { CreateIncidentDto } from './dto/create-incident.dto.js';
import { IncidentsService } from './incidents.service.js';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,128}$/;

@Controller('v1/incidents')
export class IncidentsController {
  constructor(
    private readonly incidents: IncidentsService,
    private readonly buyerTokens: BuyerTokenVerifier,
  ) {}

  /**
   * File a "paid but not credited" or "card key invalid" report, through a channel client;
   * with the buyer's token (X-Buyer-Token) the report is verified.
   */
  @Post()
  @UseGuards(ChannelClientGuard)
  async report(
    @Body() dto: CreateIncidentDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new ApiError(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', 'Idempotency-Key header must be 8 to 128 characters of letters, digits, _ . : -', [
        { field: 'Idempotency-Key', message: 'must be 8 to 128 characters of letters, digits, _ . : -' },
      ]);
    }
    const buyer = await this.buyerTokens.optional(req);
    const outcome = await this.incidents.report(dto, { channel: channelOf(req), buyer }, idempotencyKey);
    res.status(outcome.statusCode).location(`/v1/incidents/${String(outcome.body.id)}`).json(outcome.body);
  }
}
