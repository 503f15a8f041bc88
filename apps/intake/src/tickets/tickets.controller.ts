import { Controller, Get, Header, Param, Req, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiChannelClientAuth, ApiError, ApiNotFound, ApiValidationFailed, BuyerTokenVerifier, BUYER_TOKEN_HEADER } from '@pt/platform';
import { TicketResponse } from '../api-responses.js';
import type { Request } from 'express';
import { ChannelClientGuard } from '../channel-clients/channel-client.guard.js';
import { IncidentRepository } from '../incidents/incident.repository.js';
import { toTicketView, type TicketView } from './ticket.view.js';

const TICKET_NUMBER = /^PT-\d{8}-\d{6,}$/;

/**
 * The buyer follows their own ticket through a channel, with their buyer token. A ticket
 * of another account answers exactly like one that does not exist.
 */
@Controller('v1/tickets')
@UseGuards(ChannelClientGuard)
@ApiTags('tickets')
@ApiChannelClientAuth({ buyer: 'required', rateLimited: 'the channel client is over its request rate (RATE_LIMITED)' })
export class TicketsController {
  constructor(
    private readonly incidents: IncidentRepository,
    private readonly buyerTokens: BuyerTokenVerifier,
  ) {}

  @Get(':ticketNumber')
  @ApiOperation({ summary: "The buyer's own ticket" })
  @ApiParam({ name: 'ticketNumber', schema: { type: 'string', pattern: TICKET_NUMBER.source }, example: 'PT-20261121-000001' })
  @ApiOkResponse({ type: TicketResponse, description: 'the ticket' })
  @ApiValidationFailed()
  @ApiNotFound('no such ticket, or it belongs to another account: the two answers are identical')
  @Header('Cache-Control', 'no-store')
  async get(@Param('ticketNumber') ticketNumber: string, @Req() req: Request): Promise<TicketView> {
    if (!TICKET_NUMBER.test(ticketNumber)) throw ApiError.validation([{ field: 'ticketNumber', message: 'must look like PT-20261121-000001' }]);
    const buyer = await this.buyerTokens.verify(req.header(BUYER_TOKEN_HEADER));
    const incident = await this.incidents.findTicketOf(ticketNumber, buyer.accountId);
    if (!incident) throw ApiError.notFound(`ticket ${ticketNumber}`);
    return toTicketView(incident);
  }
}
