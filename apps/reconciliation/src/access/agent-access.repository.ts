import { Injectable } from '@nestjs/common';
import type { AgentAccessChangedV1, AgentSessionRevokedV1 } from '@pt/contracts';
import { queryRows } from '@pt/database';
import type { AgentRole } from '@pt/platform';
import { DataSource, type EntityManager } from 'typeorm';

/** What the mirror knows about one agent's token: its session's fate and the agent's current access. */
export interface MirroredAccess {
  sessionRevoked: boolean;
  /** Null when intake has not published a change for this agent. */
  role: AgentRole | null;
  disabled: boolean;
  /** The access version of that state, null with it. */
  accessVersion: number | null;
}

/** The access mirror: agents' current role and state, and sessions ended early. */
@Injectable()
export class AgentAccessRepository {
  constructor(private readonly dataSource: DataSource) {}

  async lookup(agentId: string, sessionId: string): Promise<MirroredAccess> {
    const rows: { role: AgentRole | null; disabled: boolean | null; access_version: number | null; revoked: boolean }[] = await this.dataSource.query(
      `SELECT a.role, a.disabled, a.access_version,
              EXISTS (SELECT 1 FROM reconciliation.revoked_agent_sessions WHERE session_id = $2) AS revoked
         FROM (SELECT 1) AS one
         LEFT JOIN reconciliation.agent_access a ON a.agent_id = $1`,
      [agentId, sessionId],
    );
    const row = rows[0];
    return { sessionRevoked: row.revoked, role: row.role, disabled: row.disabled === true, accessVersion: row.access_version };
  }

  /** Keeps the newest access state per agent; an older or repeated version changes nothing. */
  async applyAccess(m: EntityManager, change: AgentAccessChangedV1): Promise<void> {
    await m.query(
      `INSERT INTO reconciliation.agent_access (agent_id, username, role, disabled, access_version, changed_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (agent_id) DO UPDATE
         SET username = EXCLUDED.username, role = EXCLUDED.role, disabled = EXCLUDED.disabled,
             access_version = EXCLUDED.access_version, changed_at = EXCLUDED.changed_at, received_at = now()
       WHERE reconciliation.agent_access.access_version < EXCLUDED.access_version`,
      [change.agentId, change.username, change.role, change.disabled, change.accessVersion, change.changedAt],
    );
  }

  async revokeSession(m: EntityManager, revoked: AgentSessionRevokedV1): Promise<void> {
    await m.query(
      `INSERT INTO reconciliation.revoked_agent_sessions (session_id, agent_id, reason, revoked_at, expires_at)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (session_id) DO NOTHING`,
      [revoked.sessionId, revoked.agentId, revoked.reason, revoked.revokedAt, revoked.expiresAt],
    );
  }

  /** Drops revocations of sessions past their expiry: their tokens are refused for that alone. */
  async purgeExpiredRevocations(m: EntityManager): Promise<number> {
    const deleted = await queryRows(
      m,
      `DELETE FROM reconciliation.revoked_agent_sessions WHERE session_id IN (
         SELECT session_id FROM reconciliation.revoked_agent_sessions WHERE expires_at < now() - interval '10 minutes' LIMIT 500)
       RETURNING session_id`,
    );
    return deleted.length;
  }
}
