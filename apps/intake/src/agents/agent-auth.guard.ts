import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SERVICE_CONFIG, bearerToken, checkRole, verifyAgentToken, type AgentClaims } from '@pt/platform';
import type { Request } from 'express';
import type { IntakeConfig } from '../config/intake.config.js';
import { AgentRepository } from './agent.repository.js';

/**
 * Checks the agent token's signature and that its session is still live (not signed
 * out, not expired, agent not disabled), then the role the route requires.
 */
@Injectable()
export class AgentAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly agents: AgentRepository,
    @Inject(SERVICE_CONFIG) private readonly config: IntakeConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const token = bearerToken(context.switchToHttp().getRequest<Request>());
    let claims: AgentClaims | null = token ? verifyAgentToken(token, this.config.AGENT_TOKEN_SECRET) : null;
    if (claims && !(await this.agents.sessionIsLive(claims.sid))) claims = null;
    return checkRole(context, this.reflector, claims);
  }
}

/** The signed-in agent of the current request. */
export function agentOf(req: Request): AgentClaims {
  return (req as Request & { agent: AgentClaims }).agent;
}
