import { Module } from '@nestjs/common';
import { AccessEventsConsumer } from './access-events.consumer.js';
import { AgentAccessRepository } from './agent-access.repository.js';
import { AgentAccessService } from './agent-access.service.js';
import { AgentTokenGuard } from './agent-token.guard.js';
import { ChannelClientGuard } from './channel-client.guard.js';
import { ChannelKeyMirrorRepository } from './channel-key-mirror.repository.js';

/**
 * Who may call, as intake publishes it: agents' sessions and roles, and the channel
 * clients' keys; with the guards of reconciliation's agent and buyer routes.
 */
@Module({
  controllers: [AccessEventsConsumer],
  providers: [AgentAccessRepository, AgentAccessService, AgentTokenGuard, ChannelKeyMirrorRepository, ChannelClientGuard],
  // Guards run in the modules of the controllers that use them, so they take their repositories along.
  exports: [AgentAccessService, AgentTokenGuard, ChannelKeyMirrorRepository, ChannelClientGuard],
})
export class AccessModule {}
