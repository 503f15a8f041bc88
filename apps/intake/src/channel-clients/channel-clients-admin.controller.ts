import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { AdminTokenGuard, Operator, uuidParam } from '@pt/platform';
import { ChannelClientsService, type ChannelClientView, type ChannelKeyView, type CreatedChannelKey } from './channel-clients.service.js';
import { CreateChannelClientDto, CreateChannelKeyDto } from './dto/channel-client.dto.js';

/**
 * Operators register the shop's channels and manage their keys; a key's secret appears
 * only in the answer that created it. `:client` is the client's id or its name.
 */
@Controller('v1/admin/channel-clients')
@UseGuards(AdminTokenGuard)
export class ChannelClientsAdminController {
  constructor(private readonly channels: ChannelClientsService) {}

  @Post()
  create(@Operator() operator: string, @Body() dto: CreateChannelClientDto): Promise<{ client: ChannelClientView; key: CreatedChannelKey }> {
    return this.channels.create(operator, dto);
  }

  @Get()
  async list(): Promise<{ data: ChannelClientView[] }> {
    return { data: await this.channels.list() };
  }

  @Post(':client/keys')
  createKey(@Operator() operator: string, @Param('client') client: string, @Body() dto: CreateChannelKeyDto): Promise<CreatedChannelKey> {
    return this.channels.createKey(operator, client, dto.label ?? null);
  }

  /** A new key; the old one is refused from the next request on. */
  @Post(':client/keys/:keyId/rotate')
  rotateKey(@Operator() operator: string, @Param('client') client: string, @Param('keyId', uuidParam('keyId')) keyId: string): Promise<CreatedChannelKey> {
    return this.channels.rotateKey(operator, client, keyId.toLowerCase());
  }

  @Post(':client/keys/:keyId/revoke')
  @HttpCode(200)
  revokeKey(@Operator() operator: string, @Param('client') client: string, @Param('keyId', uuidParam('keyId')) keyId: string): Promise<ChannelKeyView> {
    return this.channels.revokeKey(operator, client, keyId.toLowerCase());
  }
}
