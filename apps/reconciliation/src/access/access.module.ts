import { Module } from '@nestjs/common';
import { AccessEventsConsumer } from './access-events.consumer.js';
import { AgentAccessRepository } from './agent-access.repository.js';
import { AgentAccessService } from './agent-access.service.js';
import { AgentTokenGuard } from './agent-token.guard.js';

/** Agents' access as intake publishes it, and the guard of reconciliation's agent routes. */
@Module({
  controllers: [AccessEventsConsumer],
  providers: [AgentAccessRepository, AgentAccessService, AgentTokenGuard],
  exports: [AgentAccessService, AgentTokenGuard],
})
export class AccessModule {}
