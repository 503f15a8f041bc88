import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AgentTokenSigner, bearerToken, checkRole, type AgentClaims } from '@pt/platform';
import type { Request } from 'express';
import { AgentRepository } from './agent.repository.js';
import { AGENT_TOKEN_SIGNER } from './agent-token.signer.js';

/**
 * Checks the agent token (signature, issuer, audience, expiry) and that its session is still
 * live (not signed out, not expired, agent not disabled), then the role the route requires:
 * the agent's role now, from the database, not the one written in the token at sign-in.
 */
@Injectable()
export class AgentAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly agents: AgentRepository,
    @Inject(AGENT_TOKEN_SIGNER) private readonly signer: AgentTokenSigner,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const token = bearerToken(context.switchToHttp().getRequest<Request>());
    const claims = token ? await this.signer.verifier.verify(token) : null;
    const session = claims ? await this.agents.liveSession(claims.sid) : null;
    const agent: AgentClaims | null =
      claims && session && session.agentId === claims.sub ? { ...claims, username: session.username, role: session.role } : null;
    return checkRole(context, this.reflector, agent);
  }
}

/** The signed-in agent of the current request. */
export function agentOf(req: Request): AgentClaims {
  return (req as Request & { agent: AgentClaims }).agent;
}
