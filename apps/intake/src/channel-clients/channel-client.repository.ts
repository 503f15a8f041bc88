import { Injectable } from '@nestjs/common';
import { queryRows } from '@pt/database';
import type { ChannelCaller } from '@pt/platform';
import { DataSource, type EntityManager } from 'typeorm';

export const CHANNEL_KINDS = ['HELP_CENTER', 'CHAT_BOT', 'PHONE_DESK', 'OTHER'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export interface ChannelClientRow {
  id: string;
  name: string;
  kind: ChannelKind;
  createdAt: string;
  createdBy: string;
}

export interface ChannelKeyRow {
  id: string;
  clientId: string;
  label: string | null;
  prefix: string;
  keyHash: string;
  createdAt: string;
  revokedAt: string | null;
  replacedBy: string | null;
}

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);

function toClient(r: Record<string, unknown>): ChannelClientRow {
  return { id: r.id as string, name: r.name as string, kind: r.kind as ChannelKind, createdAt: iso(r.created_at)!, createdBy: r.created_by as string };
}

function toKey(r: Record<string, unknown>): ChannelKeyRow {
  return {
    id: r.id as string,
    clientId: r.client_id as string,
    label: (r.label as string | null) ?? null,
    prefix: r.prefix as string,
    keyHash: r.key_hash as string,
    createdAt: iso(r.created_at)!,
    revokedAt: iso(r.revoked_at),
    replacedBy: (r.replaced_by as string | null) ?? null,
  };
}

/** Channel clients and their keys (only hashes are kept). */
@Injectable()
export class ChannelClientRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** The active key with this hash and its client, or null: one indexed read per request. */
  async callerByKeyHash(keyHash: string): Promise<ChannelCaller | null> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT k.id AS key_id, c.id AS client_id, c.name FROM intake.channel_client_keys k JOIN intake.channel_clients c ON c.id = k.client_id
        WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
      [keyHash],
    );
    const r = rows[0];
    return r ? { clientId: r.client_id as string, clientName: r.name as string, keyId: r.key_id as string } : null;
  }

  async insertClient(m: EntityManager, client: { id: string; name: string; kind: ChannelKind; createdBy: string }): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `INSERT INTO intake.channel_clients (id, name, kind, created_by) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING RETURNING id`,
      [client.id, client.name, client.kind, client.createdBy],
    );
    return rows.length > 0;
  }

  async insertKey(m: EntityManager, key: { id: string; clientId: string; label: string | null; prefix: string; keyHash: string }): Promise<ChannelKeyRow> {
    const rows: Record<string, unknown>[] = await m.query(
      `INSERT INTO intake.channel_client_keys (id, client_id, label, prefix, key_hash) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [key.id, key.clientId, key.label, key.prefix, key.keyHash],
    );
    return toKey(rows[0]);
  }

  /** Revokes a key of a client (locked); null when the client has no such key. */
  async revokeKey(m: EntityManager, clientId: string, keyId: string, replacedBy: string | null = null): Promise<ChannelKeyRow | null> {
    const rows = await queryRows(
      m,
      `UPDATE intake.channel_client_keys SET revoked_at = COALESCE(revoked_at, now()), replaced_by = COALESCE(replaced_by, $3)
        WHERE id = $1 AND client_id = $2 RETURNING *`,
      [keyId, clientId, replacedBy],
    );
    return rows[0] ? toKey(rows[0]) : null;
  }

  async lockKey(m: EntityManager, clientId: string, keyId: string): Promise<ChannelKeyRow | null> {
    const rows: Record<string, unknown>[] = await m.query(`SELECT * FROM intake.channel_client_keys WHERE id = $1 AND client_id = $2 FOR UPDATE`, [
      keyId,
      clientId,
    ]);
    return rows[0] ? toKey(rows[0]) : null;
  }

  async client(idOrName: string, m: EntityManager = this.dataSource.manager): Promise<ChannelClientRow | null> {
    const byId = /^[0-9a-f-]{36}$/i.test(idOrName);
    const rows: Record<string, unknown>[] = await m.query(`SELECT * FROM intake.channel_clients WHERE ${byId ? 'id = $1::uuid' : 'name = $1'}`, [idOrName]);
    return rows[0] ? toClient(rows[0]) : null;
  }

  async clients(): Promise<ChannelClientRow[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(`SELECT * FROM intake.channel_clients ORDER BY name`);
    return rows.map(toClient);
  }

  async keysOf(clientIds: string[]): Promise<ChannelKeyRow[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT * FROM intake.channel_client_keys WHERE client_id = ANY($1::uuid[]) ORDER BY created_at, id`,
      [clientIds],
    );
    return rows.map(toKey);
  }
}
