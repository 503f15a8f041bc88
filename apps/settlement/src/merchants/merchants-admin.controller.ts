import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Res, UseGuards } from '@nestjs/common';
import { ApiBody, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AdminTokenGuard, ApiAdminAuth, ApiNotFound, ApiValidationFailed, ErrorBody, Operator, uuidParam } from '@pt/platform';
import type { Response } from 'express';
import { CreateApiKeyDto } from './dto/create-api-key.dto.js';
import { CreateMerchantDto } from './dto/create-merchant.dto.js';
import {
  ApiKeyListResponse,
  ApiKeyResponse,
  CreatedApiKeyResponse,
  CreatedMerchantResponse,
  MerchantListResponse,
  RotatedApiKeyResponse,
} from './dto/merchant-responses.js';
import { MerchantsService, type ApiKeyView, type CreatedApiKey, type MerchantView } from './merchants.service.js';

const MerchantIdParam = () => ApiParam({ name: 'merchantId', schema: { type: 'string', format: 'uuid' } });
const KeyIdParam = () => ApiParam({ name: 'keyId', schema: { type: 'string', format: 'uuid' } });

/** Operators manage merchants and their API keys here; secrets appear only when a key is created. */
@Controller('v1/admin/merchants')
@UseGuards(AdminTokenGuard)
@ApiTags('admin')
@ApiAdminAuth()
export class MerchantsAdminController {
  constructor(private readonly merchants: MerchantsService) {}

  /** 201 when created, 200 when the same id and name already existed. */
  @Post()
  @ApiOperation({
    operationId: 'createMerchant',
    summary: 'Create a merchant',
    description: 'Repeating the call with the same id and name answers 200 with the existing merchant.',
  })
  @ApiCreatedResponse({ type: CreatedMerchantResponse, description: 'created' })
  @ApiOkResponse({ type: CreatedMerchantResponse, description: 'already existed with this id and name' })
  @ApiValidationFailed()
  @ApiConflictResponse({
    type: ErrorBody,
    description: 'the id exists with another name (MERCHANT_ID_TAKEN), or the name belongs to another merchant (MERCHANT_NAME_TAKEN)',
  })
  async create(
    @Operator() operator: string,
    @Body() dto: CreateMerchantDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MerchantView & { created: boolean }> {
    const { merchant, created } = await this.merchants.createMerchant(operator, dto);
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return { ...merchant, created };
  }

  @Get()
  @ApiOperation({ operationId: 'listMerchants', summary: 'List merchants with their number of active keys' })
  @ApiOkResponse({ type: MerchantListResponse, description: 'every merchant' })
  async list(): Promise<{ data: (MerchantView & { activeKeys: number })[] }> {
    return { data: await this.merchants.listMerchants() };
  }

  @Post(':merchantId/api-keys')
  @MerchantIdParam()
  @ApiBody({ type: CreateApiKeyDto, required: false })
  @ApiOperation({ operationId: 'createApiKey', summary: 'Issue an API key; its secret is in this response only' })
  @ApiCreatedResponse({ type: CreatedApiKeyResponse, description: 'the new key, with its secret' })
  @ApiValidationFailed()
  @ApiNotFound('no merchant of that id')
  createKey(
    @Operator() operator: string,
    @Param('merchantId', uuidParam('merchantId')) merchantId: string,
    @Body() dto: CreateApiKeyDto,
  ): Promise<CreatedApiKey> {
    return this.merchants.createApiKey(operator, merchantId.toLowerCase(), dto.label);
  }

  @Get(':merchantId/api-keys')
  @MerchantIdParam()
  @ApiOperation({ operationId: 'listApiKeys', summary: "List a merchant's keys, without secrets" })
  @ApiOkResponse({ type: ApiKeyListResponse, description: 'the keys' })
  @ApiValidationFailed()
  @ApiNotFound('no merchant of that id')
  async listKeys(@Param('merchantId', uuidParam('merchantId')) merchantId: string): Promise<{ data: ApiKeyView[] }> {
    return { data: await this.merchants.listApiKeys(merchantId.toLowerCase()) };
  }

  @Post(':merchantId/api-keys/:keyId/revoke')
  @MerchantIdParam()
  @KeyIdParam()
  @ApiOperation({ operationId: 'revokeApiKey', summary: 'Revoke a key; it is refused from the next request on. Revoking again changes nothing.' })
  @ApiOkResponse({ type: ApiKeyResponse, description: 'the revoked key' })
  @ApiValidationFailed()
  @ApiNotFound('no such key of that merchant')
  @HttpCode(200)
  revokeKey(
    @Operator() operator: string,
    @Param('merchantId', uuidParam('merchantId')) merchantId: string,
    @Param('keyId', uuidParam('keyId')) keyId: string,
  ): Promise<ApiKeyView> {
    return this.merchants.revokeApiKey(operator, merchantId.toLowerCase(), keyId.toLowerCase());
  }

  @Post(':merchantId/api-keys/:keyId/rotate')
  @MerchantIdParam()
  @KeyIdParam()
  @ApiBody({ type: CreateApiKeyDto, required: false })
  @ApiOperation({ operationId: 'rotateApiKey', summary: 'Issue a new key and revoke this one, in one transaction' })
  @ApiCreatedResponse({ type: RotatedApiKeyResponse, description: 'the new key (with its secret) and the revoked one' })
  @ApiValidationFailed()
  @ApiNotFound('no such key of that merchant')
  @ApiConflictResponse({ type: ErrorBody, description: 'the key is already revoked (API_KEY_REVOKED)' })
  rotateKey(
    @Operator() operator: string,
    @Param('merchantId', uuidParam('merchantId')) merchantId: string,
    @Param('keyId', uuidParam('keyId')) keyId: string,
    @Body() dto: CreateApiKeyDto,
  ): Promise<{ apiKey: CreatedApiKey; revoked: ApiKeyView }> {
    return this.merchants.rotateApiKey(operator, merchantId.toLowerCase(), keyId.toLowerCase(), dto.label);
  }
}
