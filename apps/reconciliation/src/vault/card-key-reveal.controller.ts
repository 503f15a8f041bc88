import { Body, Controller, Header, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiAgentAuth,
  ApiChannelClientAuth,
  ApiNotFound,
  ApiValidationFailed,
  BUYER_TOKEN_HEADER,
  RequireRole,
  channelOf,
  type AgentClaims,
} from '@pt/platform';
import { CardKeyRevealResponse } from './dto/vault-responses.js';
import type { Request } from 'express';
import { AgentTokenGuard } from '../access/agent-token.guard.js';
import { AgentRevealDto, RevealCardKeyDto } from './dto/reveal-card-key.dto.js';
import { OutboxPublisher } from '@pt/platform';
import { ChannelClientGuard } from '../access/channel-client.guard.js';
import { BuyerRevealService } from './buyer-reveal.service.js';
import { VaultService, type RevealedCardKey } from './vault.service.js';

/** The only routes that answer with a card key's secret: to the order's buyer, or to a supervisor. */
@Controller('v1/card-keys')
@ApiTags('card keys')
export class CardKeyRevealController {
  constructor(
    private readonly vault: VaultService,
    private readonly buyers: BuyerRevealService,
    private readonly outbox: OutboxPublisher,
  ) {}

  /** The buyer's own card keys: a channel client's key, and the buyer's token in X-Buyer-Token. */
  @Post('reveal')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @UseGuards(ChannelClientGuard)
  @ApiOperation({
    summary: "The card keys of one of the buyer's own orders",
    description:
      "Called by a channel client with its key and the buyer's token. An order of another account answers exactly like one that does not exist. Every reveal, and every refusal, is audited.",
  })
  @ApiChannelClientAuth({ buyer: 'required', rateLimited: 'too many card-key reveals for this order or channel (RATE_LIMITED)' })
  @ApiOkResponse({ type: CardKeyRevealResponse, description: 'the card keys' })
  @ApiValidationFailed()
  @ApiNotFound('no card key for that order of this buyer')
  async reveal(@Body() dto: RevealCardKeyDto, @Req() req: Request): Promise<{ orderNumber: string; cardKeys: RevealedCardKey[] }> {
    const cardKeys = await this.buyers.reveal(dto.orderNumber, channelOf(req), req.header(BUYER_TOKEN_HEADER));
    return { orderNumber: dto.orderNumber, cardKeys };
  }

  @Post('reveal-for-agent')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @UseGuards(AgentTokenGuard)
  @RequireRole('supervisor')
  @ApiOperation({ summary: 'Supervisors: the card keys of an order, to read to its buyer, for an incident and with a reason (audited)' })
  @ApiAgentAuth('supervisor')
  @ApiOkResponse({ type: CardKeyRevealResponse, description: 'the card keys' })
  @ApiValidationFailed()
  @ApiNotFound('no card key was found for this incident and order')
  async revealForAgent(@Body() dto: AgentRevealDto, @Req() req: Request): Promise<{ orderNumber: string; cardKeys: RevealedCardKey[] }> {
    const agent = (req as Request & { agent: AgentClaims }).agent;
    const cardKeys = await this.vault.revealForAgent(dto.orderNumber, dto.incidentId, agent, dto.reason);
    this.outbox.nudge();
    return { orderNumber: dto.orderNumber, cardKeys };
  }
}
