import { Body, Controller, Header, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { BUYER_TOKEN_HEADER, RequireRole, channelOf, type AgentClaims } from '@pt/platform';
import type { Request } from 'express';
import { AgentTokenGuard } from '../access/agent-token.guard.js';
import { AgentRevealDto, RevealCardKeyDto } from './dto/reveal-card-key.dto.js';
import { OutboxPublisher } from '@pt/platform';
import { ChannelClientGuard } from '../access/channel-client.guard.js';
import { BuyerRevealService } from './buyer-reveal.service.js';
import { VaultService, type RevealedCardKey } from './vault.service.js';

/** The only routes that answer with a card key's secret: to the order's buyer, or to a supervisor. */
@Controller('v1/card-keys')
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
  async reveal(@Body() dto: RevealCardKeyDto, @Req() req: Request): Promise<{ orderNumber: string; cardKeys: RevealedCardKey[] }> {
    const cardKeys = await this.buyers.reveal(dto.orderNumber, channelOf(req), req.header(BUYER_TOKEN_HEADER));
    return { orderNumber: dto.orderNumber, cardKeys };
  }

  @Post('reveal-for-agent')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @UseGuards(AgentTokenGuard)
  @RequireRole('supervisor')
  async revealForAgent(@Body() dto: AgentRevealDto, @Req() req: Request): Promise<{ orderNumber: string; cardKeys: RevealedCardKey[] }> {
    const agent = (req as Request & { agent: AgentClaims }).agent;
    const cardKeys = await this.vault.revealForAgent(dto.orderNumber, dto.incidentId, agent, dto.reason);
    this.outbox.nudge();
    return { orderNumber: dto.orderNumber, cardKeys };
  }
}
