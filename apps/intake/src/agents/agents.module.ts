import { Module } from '@nestjs/common';
import { AdminTokenGuard } from '@pt/platform';
import { AgentAuthGuard } from './agent-auth.guard.js';
import { AGENT_TOKEN_SIGNER, agentTokenSignerProvider } from './agent-token.signer.js';
import { AgentRepository } from './agent.repository.js';
import { AgentsAdminController, AuthController } from './agents.controller.js';
import { AgentsService } from './agents.service.js';
import { SignInLimiter } from './sign-in-limiter.js';

@Module({
  controllers: [AuthController, AgentsAdminController],
  providers: [AgentRepository, AgentsService, AgentAuthGuard, AdminTokenGuard, SignInLimiter, agentTokenSignerProvider],
  exports: [AgentRepository, AgentsService, AgentAuthGuard, AGENT_TOKEN_SIGNER],
})
export class AgentsModule {}
