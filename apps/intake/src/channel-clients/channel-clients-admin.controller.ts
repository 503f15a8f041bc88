import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AdminTokenGuard, ApiAdminAuth, ApiErrorResponse, ApiNotFound, ApiValidationFailed, Operator, uuidParam } from '@pt/platform';
import { ChannelClientListResponse, ChannelKeyResponse, CreatedChannelClientResponse, CreatedChannelKeyResponse } from '../api-responses.js';
import { ChannelClientsService, type ChannelClientView, type ChannelKeyView, type CreatedChannelKey } from './channel-clients.service.js';
import { CreateChannelClientDto, CreateChannelKeyDto } from './dto/channel-client.dto.js';

const ClientParam = () => ApiParam({ name: 'client', description: "the client's id or its name" });
const KeyIdParam = () => ApiParam({ name: 'keyId', schema: { type: 'string', format: 'uuid' } });

/**
 * Operators register the shop's channels and manage their keys; a key's secret appears
 * only in the answer that created it. `:client` is the client's id or its name.
 */
@Controller('v1/admin/channel-clients')
@UseGuards(AdminTokenGuard)
@ApiTags('admin')
@ApiAdminAuth()
export class ChannelClientsAdminController {
  constructor(private readonly channels: ChannelClientsService) {}

  @Post()
  @ApiOperation({ summary: 'Register a channel client, with its first key (whose secret is in this answer only)' })
  @ApiCreatedResponse({ type: CreatedChannelClientResponse, description: 'the client and its first key' })
  @ApiValidationFailed()
  @ApiErrorResponse(409, 'a client of that name exists (CHANNEL_CLIENT_EXISTS)')
  create(@Operator() operator: string, @Body() dto: CreateChannelClientDto): Promise<{ client: ChannelClientView; key: CreatedChannelKey }> {
    return this.channels.create(operator, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List channel clients with their keys, without secrets' })
  @ApiOkResponse({ type: ChannelClientListResponse, description: 'every client' })
  async list(): Promise<{ data: ChannelClientView[] }> {
    return { data: await this.channels.list() };
  }

  @Post(':client/keys')
  @ApiOperation({ summary: 'Issue another key to a client; its secret is in this answer only' })
  @ClientParam()
  @ApiCreatedResponse({ type: CreatedChannelKeyResponse, description: 'the new key, with its secret' })
  @ApiValidationFailed()
  @ApiNotFound('no client of that id or name')
  createKey(@Operator() operator: string, @Param('client') client: string, @Body() dto: CreateChannelKeyDto): Promise<CreatedChannelKey> {
    return this.channels.createKey(operator, client, dto.label ?? null);
  }

  /** A new key; the old one is refused from the next request on. */
  @Post(':client/keys/:keyId/rotate')
  @ApiOperation({ summary: 'Replace a key: a new key, and the old one is refused from the next request on' })
  @ClientParam()
  @KeyIdParam()
  @ApiCreatedResponse({ type: CreatedChannelKeyResponse, description: 'the new key, with its secret' })
  @ApiValidationFailed()
  @ApiNotFound('no such key of that client')
  @ApiErrorResponse(409, 'the key is already revoked; create a new key instead (KEY_REVOKED)')
  rotateKey(@Operator() operator: string, @Param('client') client: string, @Param('keyId', uuidParam('keyId')) keyId: string): Promise<CreatedChannelKey> {
    return this.channels.rotateKey(operator, client, keyId.toLowerCase());
  }

  @Post(':client/keys/:keyId/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a key; intake and reconciliation refuse it from the next request on. Revoking again changes nothing.' })
  @ClientParam()
  @KeyIdParam()
  @ApiOkResponse({ type: ChannelKeyResponse, description: 'the revoked key' })
  @ApiValidationFailed()
  @ApiNotFound('no such key of that client')
  revokeKey(@Operator() operator: string, @Param('client') client: string, @Param('keyId', uuidParam('keyId')) keyId: string): Promise<ChannelKeyView> {
    return this.channels.revokeKey(operator, client, keyId.toLowerCase());
  }
}
