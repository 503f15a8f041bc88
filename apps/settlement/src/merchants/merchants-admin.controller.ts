import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Res, UseGuards } from '@nestjs/common';
import { AdminTokenGuard, Operator, uuidParam } from '@pt/platform';
import type { Response } from 'express';
import { CreateApiKeyDto } from './dto/create-api-key.dto.js';
import { CreateMerchantDto } from './dto/create-merchant.dto.js';
import { MerchantsService, type ApiKeyView, type CreatedApiKey, type MerchantView } from './merchants.service.js';

/** Operators manage merchants and their API keys here; secrets appear only when a key is created. */
@Controller('v1/admin/merchants')
@UseGuards(AdminTokenGuard)
export class MerchantsAdminController {
  constructor(private readonly merchants: MerchantsService) {}

  /** 201 when created, 200 when the same id and name already existed. */
  @Post()
  async create(@Operator() operator: string, @Body() dto: CreateMerchantDto, @Res({ passthrough: true }) res: Response): Promise<MerchantView & { created: boolean }> {
    const { merchant, created } = await this.merchants.createMerchant(operator, dto);
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return { ...merchant, created };
  }

  @Get()
  async list(): Promise<{ data: (MerchantView & { activeKeys: number })[] }> {
    return { data: await this.merchants.listMerchants() };
  }

  @Post(':merchantId/api-keys')
  createKey(@Operator() operator: string, @Param('merchantId', uuidParam('merchantId')) merchantId: string, @Body() dto: CreateApiKeyDto): Promise<CreatedApiKey> {
    return this.merchants.createApiKey(operator, merchantId.toLowerCase(), dto.label);
  }

  @Get(':merchantId/api-keys')
  async listKeys(@Param('merchantId', uuidParam('merchantId')) merchantId: string): Promise<{ data: ApiKeyView[] }> {
    return { data: await this.merchants.listApiKeys(merchantId.toLowerCase()) };
  }

  @Post(':merchantId/api-keys/:keyId/revoke')
  @HttpCode(200)
  revokeKey(@Operator() operator: string, @Param('merchantId', uuidParam('merchantId')) merchantId: string, @Param('keyId', uuidParam('keyId')) keyId: string): Promise<ApiKeyView> {
    return this.merchants.revokeApiKey(operator, merchantId.toLowerCase(), keyId.toLowerCase());
  }

  @Post(':merchantId/api-keys/:keyId/rotate')
  rotateKey(
    @Operator() operator: string,
    @Param('merchantId', uuidParam('merchantId')) merchantId: string,
    @Param('keyId', uuidParam('keyId')) keyId: string,
    @Body() dto: CreateApiKeyDto,
  ): Promise<{ apiKey: CreatedApiKey; revoked: ApiKeyView }> {
    return this.merchants.rotateApiKey(operator, merchantId.toLowerCase(), keyId.toLowerCase(), dto.label);
  }
}
