import { Body, Controller, Header, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { RequireRole, type AgentClaims } from '@pt/platform';
import type { Request } from 'express';
import { AgentTokenGuard } from '../access/agent-token.guard.js';
import { AgentRevealDto, RevealCardKeyDto } from './dto/reveal-card-key.dto.js';
import { OutboxPublisher } from '@pt/platform';
import { VaultService, type RevealedCardKey } from './vault.service.js';

/** The only routes that answer with a card key's secret: to the order's owner, or to a supervisor. */
@Controller('v1/card-keys')
export class CardKeyRevealController {
  constructor(
    private readonly vault: VaultService,
    private readonly outbox: OutboxPublisher,
  ) {}

  @Post('reveal')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async reveal(@Body() dto: RevealCardKeyDto): Promise<{ orderNumber: string; cardKeys: RevealedCardKey[] }> {
    return { orderNumber: dto.orderNumber, cardKeys: await this.vault.revealForOwner(dto.orderNumber, dto.accountId) };
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
