import { Injectable } from '@nestjs/common';
import type { AgentAccessChangedV1, AgentSessionRevokedV1 } from '@pt/contracts';
import type { AgentClaims } from '@pt/platform';
import type { EntityManager } from 'typeorm';
import { AgentAccessRepository } from './agent-access.repository.js';

/**
 * Who a verified agent token stands for right now: null when its session was ended or its
 * agent disabled, otherwise the claims with the agent's current role.
 */
@Injectable()
export class AgentAccessService {
  constructor(private readonly repository: AgentAccessRepository) {}

  async current(claims: AgentClaims): Promise<AgentClaims | null> {
    const access = await this.repository.lookup(claims.sub, claims.sid);
    if (access.sessionRevoked || access.disabled) return null;
    return access.role ? { ...claims, role: access.role } : claims;
  }

  async sessionRevoked(m: EntityManager, event: AgentSessionRevokedV1): Promise<void> {
    await this.repository.revokeSession(m, event);
    await this.repository.purgeExpiredRevocations(m);
  }

  accessChanged(m: EntityManager, event: AgentAccessChangedV1): Promise<void> {
    return this.repository.applyAccess(m, event);
  }
}
