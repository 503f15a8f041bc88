import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { ACCESS_EVENT_TYPES, type AgentAccessChangedV1, type AgentSessionRevokedV1, type SessionRevokedReason } from '@pt/contracts';
import { appendAdminAudit, enqueueEvent } from '@pt/database';
import { currentCorrelationId } from '@pt/observability';
import { AgentTokenSigner, ApiError, OutboxPublisher, SERVICE_CONFIG, type AgentClaims, type AgentRole } from '@pt/platform';
import type { EntityManager } from 'typeorm';
import type { IntakeConfig } from '../config/intake.config.js';
import { AgentRepository, type AgentRow, type EndedSession } from './agent.repository.js';
import { AGENT_TOKEN_SIGNER } from './agent-token.signer.js';
import { hashPassword, passwordMatches } from './password.js';
import { SignInLimiter } from './sign-in-limiter.js';

export interface SignedIn {
  token: string;
  expiresAt: string;
  agent: { id: string; username: string; displayName: string; role: AgentRole };
}

/** An agent as the admin endpoints answer it. */
export interface AgentAccessView {
  id: string;
  username: string;
  role: AgentRole;
  disabled: boolean;
  /** Sessions this change ended. */
  sessionsEnded: number;
}

/** An operator's change to an agent, in intake's append-only admin trail. */
function audit(m: EntityManager, operator: string, action: string, username: string, details: Record<string, unknown>): Promise<void> {
  return appendAdminAudit(m, 'intake', { operator, action, subject: `agent:${username}`, details, correlationId: currentCorrelationId() });
}

@Injectable()
export class AgentsService {
  constructor(
    private readonly agents: AgentRepository,
    private readonly limiter: SignInLimiter,
    private readonly outbox: OutboxPublisher,
    @Inject(AGENT_TOKEN_SIGNER) private readonly signer: AgentTokenSigner,
    @Inject(SERVICE_CONFIG) private readonly config: IntakeConfig,
  ) {}

  async create(
    operator: string,
    input: { username: string; displayName?: string; role: AgentRole; password: string },
  ): Promise<{ id: string; username: string; role: AgentRole }> {
    const id = crypto.randomUUID();
    const created = await this.agents.create({
      id,
      username: input.username,
      displayName: input.displayName ?? input.username,
      role: input.role,
      passwordHash: await hashPassword(input.password),
    });
    if (!created) throw new ApiError(HttpStatus.CONFLICT, 'AGENT_EXISTS', `an agent named ${input.username} already exists`);
    await this.agents.transaction((m) => audit(m, operator, 'CREATE_AGENT', input.username, { id, role: input.role }));
    return { id, username: input.username, role: input.role };
  }

  /** An operator sets an agent's password: every session of the agent ends. */
  async resetPassword(operator: string, username: string, password: string): Promise<void> {
    const passwordHash = await hashPassword(password);
    await this.changeAgent(username, async (m, agent) => {
      await this.agents.setPassword(m, agent.id, passwordHash);
      const ended = await this.endSessions(m, agent.id, 'PASSWORD_RESET');
      await audit(m, operator, 'RESET_AGENT_PASSWORD', username, { sessionsEnded: ended.length });
    });
  }

  /** An agent changes their own password: their other sessions end, this one goes on. */
  async changeOwnPassword(me: AgentClaims, currentPassword: string, newPassword: string): Promise<{ otherSessionsEnded: number }> {
    await this.limiter.countPasswordCheck(me.sub);
    const agent = await this.agents.byId(me.sub);
    if (!(await passwordMatches(currentPassword, agent?.passwordHash ?? null))) {
      throw new ApiError(HttpStatus.BAD_REQUEST, 'WRONG_PASSWORD', 'currentPassword is not your current password', [
        { field: 'currentPassword', message: 'currentPassword is not your current password' },
      ]);
    }
    await this.limiter.passwordCheckSucceeded(me.sub);
    const passwordHash = await hashPassword(newPassword);
    const ended = await this.changeAgent(agent!.username, async (m, locked) => {
      await this.agents.setPassword(m, locked.id, passwordHash);
      return this.endSessions(m, locked.id, 'PASSWORD_CHANGED', me.sid);
    });
    return { otherSessionsEnded: ended.length };
  }

  /** Disabling ends every session (re-enabling does not bring them back); enabling lets the agent sign in again. */
  setDisabled(operator: string, username: string, disabled: boolean): Promise<AgentAccessView> {
    return this.changeAgent(username, async (m, agent) => {
      if (agent.disabled === disabled) return this.view(agent, 0);
      const changed = await this.agents.setAccess(m, agent.id, { role: agent.role, disabled });
      const ended = disabled ? await this.endSessions(m, agent.id, 'AGENT_DISABLED') : [];
      await audit(m, operator, disabled ? 'DISABLE_AGENT' : 'ENABLE_AGENT', username, { sessionsEnded: ended.length });
      await this.publishAccess(m, disabled ? ACCESS_EVENT_TYPES.agentDisabled : ACCESS_EVENT_TYPES.agentEnabled, changed);
      return this.view(changed, ended.length);
    });
  }

  /** The new role applies to the agent's open sessions at once, here and wherever the event reaches. */
  setRole(operator: string, username: string, role: AgentRole): Promise<AgentAccessView> {
    return this.changeAgent(username, async (m, agent) => {
      if (agent.role === role) return this.view(agent, 0);
      const changed = await this.agents.setAccess(m, agent.id, { role, disabled: agent.disabled });
      await audit(m, operator, 'CHANGE_AGENT_ROLE', username, { from: agent.role, to: role });
      await this.publishAccess(m, ACCESS_EVENT_TYPES.agentRoleChanged, changed);
      return this.view(changed, 0);
    });
  }

  async signIn(username: string, password: string, address: string): Promise<SignedIn> {
    // Counted before the password is checked, so guesses sent at once cannot all pass the limit.
    await this.limiter.countSignIn(username, address);
    const agent = await this.agents.byUsername(username);
    const usable = agent && !agent.disabled ? agent : null;
    // Same answer, and the same scrypt run, for an unknown name, a disabled agent and a wrong password.
    if (!(await passwordMatches(password, usable?.passwordHash ?? null)) || !usable) {
      throw new ApiError(HttpStatus.UNAUTHORIZED, 'SIGN_IN_FAILED', 'unknown username or wrong password');
    }
    await this.limiter.signInSucceeded(username, address);
    const sessionId = crypto.randomUUID();
    const expiresAt = new Date(Date.now() + this.config.AGENT_SESSION_HOURS * 3_600_000);
    await this.agents.openSession(sessionId, usable.id, expiresAt);
    const claims: AgentClaims = {
      sid: sessionId,
      sub: usable.id,
      username: usable.username,
      role: usable.role,
      accessVersion: usable.accessVersion,
      exp: Math.floor(expiresAt.getTime() / 1000),
    };
    return {
      token: await this.signer.sign(claims),
      expiresAt: expiresAt.toISOString(),
      agent: { id: usable.id, username: usable.username, displayName: usable.displayName, role: usable.role },
    };
  }

  async signOut(sessionId: string): Promise<void> {
    await this.agents.transaction(async (m) => {
      const ended = await this.agents.endSession(m, sessionId);
      if (ended) await this.publishSessionEnded(m, ended.agentId, ended, 'SIGNED_OUT');
    });
    this.outbox.nudge();
  }

  list() {
    return this.agents.list();
  }

  /** Runs a change of one agent in a transaction with that agent locked; 404 naming it when there is none. */
  private async changeAgent<T>(username: string, change: (m: EntityManager, agent: AgentRow) => Promise<T>): Promise<T> {
    const result = await this.agents.transaction(async (m) => {
      const agent = await this.agents.lockByUsername(m, username);
      if (!agent) throw ApiError.notFound(`agent ${username}`);
      return change(m, agent);
    });
    this.outbox.nudge();
    return result;
  }

  private async endSessions(m: EntityManager, agentId: string, reason: SessionRevokedReason, keep?: string): Promise<EndedSession[]> {
    const ended = await this.agents.endSessions(m, agentId, keep);
    for (const session of ended) await this.publishSessionEnded(m, agentId, session, reason);
    return ended;
  }

  private async publishSessionEnded(m: EntityManager, agentId: string, session: EndedSession, reason: SessionRevokedReason): Promise<void> {
    const event: AgentSessionRevokedV1 = {
      agentId,
      sessionId: session.id,
      reason,
      revokedAt: new Date().toISOString(),
      expiresAt: session.expiresAt.toISOString(),
    };
    await enqueueEvent(m, ACCESS_EVENT_TYPES.agentSessionRevoked, agentId, event, currentCorrelationId() ?? crypto.randomUUID());
  }

  private async publishAccess(m: EntityManager, type: string, agent: AgentRow): Promise<void> {
    const event: AgentAccessChangedV1 = {
      agentId: agent.id,
      username: agent.username,
      role: agent.role,
      disabled: agent.disabled,
      accessVersion: agent.accessVersion,
      changedAt: new Date().toISOString(),
    };
    await enqueueEvent(m, type, agent.id, event, currentCorrelationId() ?? crypto.randomUUID());
  }

  private view(agent: AgentRow, sessionsEnded: number): AgentAccessView {
    return { id: agent.id, username: agent.username, role: agent.role, disabled: agent.disabled, sessionsEnded };
  }
}
