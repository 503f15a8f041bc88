import { Injectable } from '@nestjs/common';
import type { AgentAccessChangedV1, AgentSessionRevokedV1 } from '@pt/contracts';
import type { AgentClaims } from '@pt/platform';
import type { EntityManager } from 'typeorm';
import { AgentAccessRepository } from './agent-access.repository.js';

/**
 * Who a verified agent token stands for right now: null when its session was ended or its
 * agent disabled, otherwise the claims with the agent's current role. The mirrored access
 * counts only if it is at least as new as the access the token was signed with: a token
 * from a sign-in after a change the mirror has not heard of yet carries the newer state.
 */
@Injectable()
export class AgentAccessService {
  constructor(private readonly repository: AgentAccessRepository) {}

  async current(claims: AgentClaims): Promise<AgentClaims | null> {
    const access = await this.repository.lookup(claims.sub, claims.sid);
    if (access.sessionRevoked) return null;
    if (access.accessVersion === null || access.accessVersion < claims.accessVersion) return claims;
    if (access.disabled) return null;
    return { ...claims, role: access.role! };
  }

  async sessionRevoked(m: EntityManager, event: AgentSessionRevokedV1): Promise<void> {
    await this.repository.revokeSession(m, event);
    await this.repository.purgeExpiredRevocations(m);
  }

  accessChanged(m: EntityManager, event: AgentAccessChangedV1): Promise<void> {
    return this.repository.applyAccess(m, event);
  }
}
