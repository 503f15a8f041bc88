import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AgentTokenVerifier, SERVICE_CONFIG, bearerToken, checkRole } from '@pt/platform';
import type { Request } from 'express';
import type { ReconciliationConfig } from '../config/reconciliation.config.js';
import { AgentAccessService } from './agent-access.service.js';

/**
 * Agent routes of reconciliation: a token intake signed (checked with its public key), whose
 * session the access mirror has not seen ended and whose agent is not disabled, judged by
 * the agent's current role.
 */
@Injectable()
export class AgentTokenGuard implements CanActivate {
  private readonly verifier: AgentTokenVerifier;

  constructor(
    private readonly reflector: Reflector,
    private readonly access: AgentAccessService,
    @Inject(SERVICE_CONFIG) config: ReconciliationConfig,
  ) {
    this.verifier = AgentTokenVerifier.fromPem(config.AGENT_TOKEN_PUBLIC_KEY);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const token = bearerToken(context.switchToHttp().getRequest<Request>());
    const claims = token ? await this.verifier.verify(token) : null;
    return checkRole(context, this.reflector, claims ? await this.access.current(claims) : null);
  }
}
