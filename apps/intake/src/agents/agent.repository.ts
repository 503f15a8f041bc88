import { Injectable } from '@nestjs/common';
import type { AgentRole } from '@pt/platform';
import { DataSource } from 'typeorm';

export interface AgentRow {
  id: string;
  username: string;
  displayName: string;
  role: AgentRole;
  passwordHash: string;
  disabled: boolean;
}

function toAgent(r: Record<string, unknown>): AgentRow {
  return {
    id: r.id as string,
    username: r.username as string,
    displayName: r.display_name as string,
    role: r.role as AgentRole,
    passwordHash: r.password_hash as string,
    disabled: r.disabled_at !== null,
  };
}

/** Agents and their sign-in sessions. */
@Injectable()
export class AgentRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(agent: { id: string; username: string; displayName: string; role: AgentRole; passwordHash: string }): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO intake.agents (id, username, display_name, role, password_hash) VALUES ($1,$2,$3,$4,$5)
       ON CONFLICT (username) DO NOTHING RETURNING id`,
      [agent.id, agent.username, agent.displayName, agent.role, agent.passwordHash],
    );
    return rows.length > 0;
  }

  async setPassword(username: string, passwordHash: string): Promise<void> {
    await this.dataSource.query(`UPDATE intake.agents SET password_hash = $2 WHERE username = $1`, [username, passwordHash]);
  }

  async byUsername(username: string): Promise<AgentRow | null> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(`SELECT * FROM intake.agents WHERE username = $1`, [username]);
    return rows[0] ? toAgent(rows[0]) : null;
  }

  async list(): Promise<Omit<AgentRow, 'passwordHash'>[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(`SELECT * FROM intake.agents ORDER BY username`);
    return rows.map((r) => {
      const { passwordHash: _omit, ...agent } = toAgent(r);
      return agent;
    });
  }

  async openSession(id: string, agentId: string, expiresAt: Date): Promise<void> {
    await this.dataSource.query(`INSERT INTO intake.agent_sessions (id, agent_id, expires_at) VALUES ($1,$2,$3)`, [id, agentId, expiresAt]);
  }

  /** True when the session exists, is neither revoked nor expired, and its agent is enabled. */
  async sessionIsLive(sessionId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM intake.agent_sessions s JOIN intake.agents a ON a.id = s.agent_id
        WHERE s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND a.disabled_at IS NULL`,
      [sessionId],
    );
    return rows.length > 0;
  }

  async revokeSession(sessionId: string): Promise<void> {
    await this.dataSource.query(`UPDATE intake.agent_sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [sessionId]);
  }
}
