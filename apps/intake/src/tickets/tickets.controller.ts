import { Controller, Get, Header, Param, Req, UseGuards } from '@nestjs/common';
import { ApiError, BuyerTokenVerifier, BUYER_TOKEN_HEADER } from '@pt/platform';
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
export class TicketsController {
  constructor(
    private readonly incidents: IncidentRepository,
    private readonly buyerTokens: BuyerTokenVerifier,
  ) {}

  @Get(':ticketNumber')
  @Header('Cache-Control', 'no-store')
  async get(@Param('ticketNumber') ticketNumber: string, @Req() req: Request): Promise<TicketView> {
    if (!TICKET_NUMBER.test(ticketNumber)) throw ApiError.validation([{ field: 'ticketNumber', message: 'must look like PT-20261121-000001' }]);
    const buyer = await this.buyerTokens.verify(req.header(BUYER_TOKEN_HEADER));
    const incident = await this.incidents.findTicketOf(ticketNumber, buyer.accountId);
    if (!incident) throw ApiError.notFound(`ticket ${ticketNumber}`);
    return toTicketView(incident);
  }
}
