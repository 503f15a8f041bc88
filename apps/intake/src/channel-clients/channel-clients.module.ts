import { Module } from '@nestjs/common';
import { AdminTokenGuard } from '@pt/platform';
import { ChannelClientGuard } from './channel-client.guard.js';
import { ChannelClientRepository } from './channel-client.repository.js';
import { ChannelClientsAdminController } from './channel-clients-admin.controller.js';
import { ChannelClientsService } from './channel-clients.service.js';

/** The shop's channels that call on a buyer's behalf, their keys, and the guard that checks them. */
@Module({
  controllers: [ChannelClientsAdminController],
  providers: [ChannelClientRepository, ChannelClientsService, ChannelClientGuard, AdminTokenGuard],
  // The guard runs in the modules of the controllers that use it, so it takes its repository along.
  exports: [ChannelClientsService, ChannelClientGuard, ChannelClientRepository],
})
export class ChannelClientsModule {}
