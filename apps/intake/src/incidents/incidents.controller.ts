import { Body, Controller, Headers, HttpStatus, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiChannelClientAuth, ApiError, ApiErrorResponse, ApiIdempotencyKey, ApiValidationFailed, BuyerTokenVerifier, channelOf } from '@pt/platform';
import { ReportAnswerResponse } from '../api-responses.js';
import type { Request, Response } from 'express';
import { ChannelClientGuard } from '../channel-clients/channel-client.guard.js';
import { CreateIncidentDto } from './dto/create-incident.dto.js';
import { IncidentsService } from './incidents.service.js';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,128}$/;

@Controller('v1/incidents')
@ApiTags('incidents')
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
  @ApiOperation({
    summary: 'File a report on behalf of a buyer',
    description:
      'A "paid but not credited" (default) or "card key invalid" report. With the buyer\'s token (X-Buyer-Token) the report is verified, its account is the token\'s, and the buyer can follow the ticket. A second report of the same order and type joins the open incident (200). The same Idempotency-Key from the same channel client replays the first answer.',
  })
  @ApiChannelClientAuth({
    buyer: 'optional',
    rateLimited: 'the channel client is over its request rate, or the order has had too many reports this hour (RATE_LIMITED)',
  })
  @ApiIdempotencyKey('8 to 128 characters of letters, digits, _ . : -; the same key from the same channel client replays the first answer')
  @ApiCreatedResponse({
    type: ReportAnswerResponse,
    description: 'a new incident',
    headers: { Location: { description: 'the incident', schema: { type: 'string' } } },
  })
  @ApiOkResponse({
    type: ReportAnswerResponse,
    description: 'joined an open incident of the same order and type, or replayed by its Idempotency-Key',
    headers: { Location: { description: 'the incident', schema: { type: 'string' } } },
  })
  @ApiValidationFailed()
  @ApiErrorResponse(422, 'the Idempotency-Key was already used with a different body (IDEMPOTENCY_KEY_REUSED)')
  @ApiErrorResponse(413, 'the body is larger than 64 KB (PAYLOAD_TOO_LARGE)')
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
    res
      .status(outcome.statusCode)
      .location(`/v1/incidents/${String(outcome.body.id)}`)
      .json(outcome.body);
  }
}
