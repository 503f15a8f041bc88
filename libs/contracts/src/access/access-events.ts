import { IsBoolean, IsIn, IsInt, IsISO8601, IsNotEmpty, IsString, IsUUID, MaxLength, Min } from 'class-validator';

/**
 * Changes to who may act as an agent, published by intake on access.events.v1 keyed by
 * agent id, so every service that checks agent tokens can refuse a session or a role
 * within seconds instead of when the token expires.
 */
export const ACCESS_EVENT_TYPES = {
  agentSessionRevoked: 'access.agent-session-revoked',
  agentDisabled: 'access.agent-disabled',
  agentEnabled: 'access.agent-enabled',
  agentRoleChanged: 'access.agent-role-changed',
} as const;

export const SESSION_REVOKED_REASONS = ['SIGNED_OUT', 'PASSWORD_CHANGED', 'PASSWORD_RESET', 'AGENT_DISABLED'] as const;
export type SessionRevokedReason = (typeof SESSION_REVOKED_REASONS)[number];

/** One sign-in session ended before its expiry; tokens of that session are refused from now on. */
export class AgentSessionRevokedV1 {
  @IsUUID()
  agentId!: string;

  @IsUUID()
  sessionId!: string;

  @IsIn(SESSION_REVOKED_REASONS)
  reason!: SessionRevokedReason;

  @IsISO8601({ strict: true })
  revokedAt!: string;

  /** When the session would have expired anyway: after that the revocation need not be kept. */
  @IsISO8601({ strict: true })
  expiresAt!: string;
}

/**
 * An agent's access after a change (disabled, enabled, role changed): the whole state, with
 * a version that grows with every change of that agent, so a consumer keeps the newest
 * state whatever order the events reach it in.
 */
export class AgentAccessChangedV1 {
  @IsUUID()
  agentId!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  username!: string;

  @IsIn(['agent', 'supervisor'])
  role!: 'agent' | 'supervisor';

  @IsBoolean()
  disabled!: boolean;

  @IsInt()
  @Min(1)
  accessVersion!: number;

  @IsISO8601({ strict: true })
  changedAt!: string;
}
