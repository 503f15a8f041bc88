import { Body, Controller, Header, HttpCode, Post } from '@nestjs/common';
import { RevealCardKeyDto } from './dto/reveal-card-key.dto.js';
import { VaultService, type RevealedCardKey } from './vault.service.js';

/** The only route that answers with a card key's secret, and only to the order's owner. */
@Controller('v1/card-keys')
export class CardKeyRevealController {
  constructor(private readonly vault: VaultService) {}

  @Post('reveal')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async reveal(@Body() dto: RevealCardKeyDto): Promise<{ orderNumber: string; cardKeys: RevealedCardKey[] }> {
    return { orderNumber: dto.orderNumber, cardKeys: await this.vault.revealForOwner(dto.orderNumber, dto.accountId) };
  }
}
