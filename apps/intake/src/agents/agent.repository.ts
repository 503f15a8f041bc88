import { Injectable } from '@nestjs/common';
import { queryRows } from '@pt/database';
import type { AgentRole } from '@pt/platform';
import { DataSource, type EntityManager } from 'typeorm';

export interface AgentRow {
  id: string;
  username: string;
  displayName: string;
  role: AgentRole;
  passwordHash: string;
  disabled: boolean;
  accessVersion: number;
}

/** A session ended by `endSessions`, for the event that tells the other services. */
export interface EndedSession {
  id: string;
  expiresAt: Date;
}

/** What a live session stands for now (the role may have changed since sign-in). */
export interface LiveSession {
  agentId: string;
  username: string;
  role: AgentRole;
}

function toAgent(r: Record<string, unknown>): AgentRow {
  return {
    id: r.id as string,
    username: r.username as string,
    displayName: r.display_name as string,
    role: r.role as AgentRole,
    passwordHash: r.password_hash as string,
    disabled: r.disabled_at !== null,
    accessVersion: Number(r.access_version),
  };
}

/** Agents and their sign-in sessions. */
@Injectable()
export class AgentRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async create(agent: { id: string; username: string; displayName: string; role: AgentRole; passwordHash: string }): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO intake.agents (id, username, display_name, role, password_hash) VALUES ($1,$2,$3,$4,$5)
       ON CONFLICT (username) DO NOTHING RETURNING id`,
      [agent.id, agent.username, agent.displayName, agent.role, agent.passwordHash],
    );
    return rows.length > 0;
  }

  async byUsername(username: string): Promise<AgentRow | null> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(`SELECT * FROM intake.agents WHERE username = $1`, [username]);
    return rows[0] ? toAgent(rows[0]) : null;
  }

  async byId(id: string): Promise<AgentRow | null> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(`SELECT * FROM intake.agents WHERE id = $1`, [id]);
    return rows[0] ? toAgent(rows[0]) : null;
  }

  /** The agent, locked for the rest of the transaction (changes to one agent happen one at a time). */
  async lockByUsername(m: EntityManager, username: string): Promise<AgentRow | null> {
    const rows = await queryRows(m, `SELECT * FROM intake.agents WHERE username = $1 FOR UPDATE`, [username]);
    return rows[0] ? toAgent(rows[0]) : null;
  }

  async list(): Promise<Omit<AgentRow, 'passwordHash'>[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(`SELECT * FROM intake.agents ORDER BY username`);
    return rows.map((r) => {
      const { passwordHash: _omit, ...agent } = toAgent(r);
      return agent;
    });
  }

  async setPassword(m: EntityManager, agentId: string, passwordHash: string): Promise<void> {
    await m.query(`UPDATE intake.agents SET password_hash = $2 WHERE id = $1`, [agentId, passwordHash]);
  }

  /** Sets role and disabled state and bumps the access version; returns the new row. */
  async setAccess(m: EntityManager, agentId: string, access: { role: AgentRole; disabled: boolean }): Promise<AgentRow> {
    const rows = await queryRows(
      m,
      `UPDATE intake.agents
          SET role = $2,
              disabled_at = CASE WHEN $3::boolean THEN coalesce(disabled_at, now()) ELSE NULL END,
              access_version = access_version + 1
        WHERE id = $1 RETURNING *`,
      [agentId, access.role, access.disabled],
    );
    return toAgent(rows[0]);
  }

  async openSession(id: string, agentId: string, expiresAt: Date): Promise<void> {
    await this.dataSource.query(`INSERT INTO intake.agent_sessions (id, agent_id, expires_at) VALUES ($1,$2,$3)`, [id, agentId, expiresAt]);
  }

  /** The session's agent and current role, when the session is neither ended nor expired and the agent is enabled. */
  async liveSession(sessionId: string): Promise<LiveSession | null> {
    const rows: { agent_id: string; username: string; role: AgentRole }[] = await this.dataSource.query(
      `SELECT a.id AS agent_id, a.username, a.role FROM intake.agent_sessions s JOIN intake.agents a ON a.id = s.agent_id
        WHERE s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND a.disabled_at IS NULL`,
      [sessionId],
    );
    const row = rows[0];
    return row ? { agentId: row.agent_id, username: row.username, role: row.role } : null;
  }

  /** Ends one session; returns it when it was still open. */
  async endSession(m: EntityManager, sessionId: string): Promise<(EndedSession & { agentId: string }) | null> {
    const rows = await queryRows<{ id: string; agent_id: string; expires_at: Date }>(
      m,
      `UPDATE intake.agent_sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id, agent_id, expires_at`,
      [sessionId],
    );
    const row = rows[0];
    return row ? { id: row.id, agentId: row.agent_id, expiresAt: new Date(row.expires_at) } : null;
  }

  /** Ends every unexpired open session of an agent, but `keep`; returns those it ended. */
  async endSessions(m: EntityManager, agentId: string, keep?: string): Promise<EndedSession[]> {
    const rows = await queryRows<{ id: string; expires_at: Date }>(
      m,
      `UPDATE intake.agent_sessions SET revoked_at = now()
        WHERE agent_id = $1 AND revoked_at IS NULL AND expires_at > now() AND ($2::uuid IS NULL OR id <> $2::uuid)
        RETURNING id, expires_at`,
      [agentId, keep ?? null],
    );
    return rows.map((r) => ({ id: r.id, expiresAt: new Date(r.expires_at) }));
  }
}
