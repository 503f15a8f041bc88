import { Module } from '@nestjs/common';
import { AdminTokenGuard } from '@pt/platform';
import { AgentAuthGuard } from './agent-auth.guard.js';
import { AgentRepository } from './agent.repository.js';
import { AgentsAdminController, AuthController } from './agents.controller.js';
import { AgentsService } from './agents.service.js';

@Module({
  controllers: [AuthController, AgentsAdminController],
  providers: [AgentRepository, AgentsService, AgentAuthGuard, AdminTokenGuard],
  exports: [AgentRepository, AgentsService, AgentAuthGuard],
})
export class AgentsModule {}
