import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { ApiError, SERVICE_CONFIG, signAgentToken, type AgentClaims, type AgentRole } from '@pt/platform';
import type { IntakeConfig } from '../config/intake.config.js';
import { AgentRepository } from './agent.repository.js';
import { hashPassword, verifyPassword } from './password.js';
import { SignInThrottle } from './sign-in-throttle.js';

export interface SignedIn {
  token: string;
  expiresAt: string;
  agent: { id: string; username: string; displayName: string; role: AgentRole };
}

@Injectable()
export class AgentsService {
  private readonly throttle: SignInThrottle;

  constructor(
    private readonly agents: AgentRepository,
    @Inject(SERVICE_CONFIG) private readonly config: IntakeConfig,
  ) {
    this.throttle = new SignInThrottle(config.SIGN_IN_MAX_FAILURES, config.SIGN_IN_WINDOW_MINUTES * 60_000);
  }

  async create(input: { username: string; displayName?: string; role: AgentRole; password: string }): Promise<{ id: string; username: string; role: AgentRole }> {
    const id = crypto.randomUUID();
    const created = await this.agents.create({
      id,
      username: input.username,
      displayName: input.displayName ?? input.username,
      role: input.role,
      passwordHash: await hashPassword(input.password),
    });
    if (!created) throw new ApiError(HttpStatus.CONFLICT, 'AGENT_EXISTS', `an agent named ${input.username} already exists`);
    return { id, username: input.username, role: input.role };
  }

  async setPassword(username: string, password: string): Promise<void> {
    if (!(await this.agents.byUsername(username))) throw ApiError.notFound(`agent ${username}`);
    await this.agents.setPassword(username, await hashPassword(password));
  }

  async signIn(username: string, password: string): Promise<SignedIn> {
    const wait = this.throttle.retryAfterSeconds(username);
    if (wait > 0) {
      throw new ApiError(HttpStatus.TOO_MANY_REQUESTS, 'SIGN_IN_THROTTLED', `too many failed sign-ins for this username; try again in ${wait} s`, undefined, {
        retryAfterSeconds: wait,
      });
    }
    const agent = await this.agents.byUsername(username);
    // Same answer for an unknown name and a wrong password.
    if (!agent || agent.disabled || !(await verifyPassword(password, agent.passwordHash))) {
      this.throttle.failed(username);
      throw new ApiError(HttpStatus.UNAUTHORIZED, 'SIGN_IN_FAILED', 'unknown username or wrong password');
    }
    this.throttle.succeeded(username);
    const sessionId = crypto.randomUUID();
    const expiresAt = new Date(Date.now() + this.config.AGENT_SESSION_HOURS * 3_600_000);
    await this.agents.openSession(sessionId, agent.id, expiresAt);
    const claims: AgentClaims = { sid: sessionId, sub: agent.id, username: agent.username, role: agent.role, exp: Math.floor(expiresAt.getTime() / 1000) };
    return {
      token: signAgentToken(claims, this.config.AGENT_TOKEN_SECRET),
      expiresAt: expiresAt.toISOString(),
      agent: { id: agent.id, username: agent.username, displayName: agent.displayName, role: agent.role },
    };
  }

  signOut(sessionId: string): Promise<void> {
    return this.agents.revokeSession(sessionId);
  }

  list() {
    return this.agents.list();
  }
}
