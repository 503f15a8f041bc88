import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiError } from '@pt/platform';
import { AdminTokenGuard } from './admin-token.guard.js';
import { VaultService, type CardKeyInput, type ImportReport } from './vault.service.js';

@Controller('v1/admin/card-keys')
@UseGuards(AdminTokenGuard)
export class VaultAdminController {
  constructor(private readonly vault: VaultService) {}

  /** Imports `{ "keys": [{ "sku", "secret", "expiresAt"? }] }`; answers counts only, never secrets. */
  @Post()
  @HttpCode(200)
  async import(@Body() body: unknown): Promise<ImportReport> {
    const keys = (body as { keys?: unknown })?.keys;
    if (!Array.isArray(keys)) throw ApiError.validation([{ field: 'keys', message: 'must be an array of { sku, secret, expiresAt? }' }]);
    return this.vault.import(keys as CardKeyInput[]);
  }

  @Get('stock')
  stock() {
    return this.vault.stock();
  }
}
