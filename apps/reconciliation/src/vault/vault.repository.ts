import { Injectable } from '@nestjs/common';
import { queryRows } from '@pt/database';
import { DataSource, type EntityManager } from 'typeorm';
import type { SealedSecret } from './card-key.cipher.js';

export interface AuditEntry {
  actorType: 'BUYER' | 'AGENT' | 'ADMIN' | 'SYSTEM';
  actorId: string;
  action: string;
  subject: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  reason: string | null;
  correlationId: string | null;
}

export interface SealedRow {
  id: string;
  sku: string;
  sealed: SealedSecret;
  status: string;
  hint: string;
  allocatedAt: string | null;
}

function sealedRow(r: Record<string, unknown>): SealedRow {
  return {
    id: r.id as string,
    sku: r.sku as string,
    sealed: { ciphertext: r.ciphertext as Buffer, iv: r.iv as Buffer, authTag: r.auth_tag as Buffer, keyId: r.key_id as string },
    status: r.status as string,
    hint: r.hint as string,
    allocatedAt: r.allocated_at ? new Date(r.allocated_at as Date).toISOString() : null,
  };
}

export interface NewCardKey {
  id: string;
  sku: string;
  sealed: SealedSecret;
  fingerprint: string;
  hint: string;
  expiresAt: string | null;
}

/** The card-key vault: sealed secrets and their allocation state. */
@Injectable()
export class VaultRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async existingFingerprints(m: EntityManager, fingerprints: string[]): Promise<Set<string>> {
    const rows: { fingerprint: string }[] = await m.query(
      `SELECT fingerprint FROM reconciliation.card_keys WHERE fingerprint = ANY($1::text[])`,
      [fingerprints],
    );
    return new Set(rows.map((r) => r.fingerprint));
  }

  async insertMany(m: EntityManager, keys: NewCardKey[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 500) {
      const chunk = keys.slice(i, i + 500);
      const values: unknown[] = [];
      const tuples = chunk.map((k, j) => {
        values.push(k.id, k.sku, k.sealed.ciphertext, k.sealed.iv, k.sealed.authTag, k.sealed.keyId, k.fingerprint, k.hint, k.expiresAt);
        const b = j * 9;
        return `($${b + 1},$${b + 2},$${b + 3},$${b + 4},$${b + 5},$${b + 6},$${b + 7},$${b + 8},$${b + 9})`;
      });
      await m.query(
        `INSERT INTO reconciliation.card_keys (id, sku, ciphertext, iv, auth_tag, key_id, fingerprint, hint, expires_at) VALUES ${tuples.join(',')}`,
        values,
      );
    }
  }

  async stockOf(m: EntityManager, sku: string): Promise<number> {
    const [row]: { n: number }[] = await m.query(
      `SELECT count(*)::int AS n FROM reconciliation.card_keys WHERE sku = $1 AND status = 'AVAILABLE' AND (expires_at IS NULL OR expires_at > now())`,
      [sku],
    );
    return row?.n ?? 0;
  }

  async stockBySku(): Promise<{ sku: string; available: number; allocated: number }[]> {
    return this.dataSource.query(
      `SELECT sku, count(*) FILTER (WHERE status = 'AVAILABLE' AND (expires_at IS NULL OR expires_at > now()))::int AS available,
              count(*) FILTER (WHERE status = 'ALLOCATED')::int AS allocated
         FROM reconciliation.card_keys GROUP BY sku ORDER BY sku`,
    );
  }

  /**
   * Takes one available key of the SKU for an order. Rows locked by a concurrent
   * allocation are skipped, so two allocations never get the same key.
   */
  async allocate(m: EntityManager, sku: string, orderNumber: string): Promise<{ id: string; hint: string } | null> {
    const rows = await queryRows<{ id: string; hint: string }>(
      m,
      `UPDATE reconciliation.card_keys SET status = 'ALLOCATED', order_number = $2, allocated_at = now()
        WHERE id = (
          SELECT id FROM reconciliation.card_keys
           WHERE sku = $1 AND status = 'AVAILABLE' AND (expires_at IS NULL OR expires_at > now())
           ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING id, hint`,
      [sku, orderNumber],
    );
    return rows[0] ?? null;
  }

  /** Puts back a key allocated in this transaction that turned out not to be needed. */
  async release(m: EntityManager, id: string): Promise<void> {
    await m.query(`UPDATE reconciliation.card_keys SET status = 'AVAILABLE', order_number = NULL, allocated_at = NULL WHERE id = $1`, [id]);
  }

  async revoke(m: EntityManager, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await m.query(`UPDATE reconciliation.card_keys SET status = 'REVOKED' WHERE id::text = ANY($1::text[])`, [ids]);
  }

  async sealedNotUnder(m: EntityManager, keyId: string, limit: number): Promise<SealedRow[]> {
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT * FROM reconciliation.card_keys WHERE key_id <> $1 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [keyId, limit],
    );
    return rows.map(sealedRow);
  }

  async countNotUnder(keyId: string): Promise<number> {
    const [row]: { n: number }[] = await this.dataSource.query(`SELECT count(*)::int AS n FROM reconciliation.card_keys WHERE key_id <> $1`, [keyId]);
    return row?.n ?? 0;
  }

  async reseal(m: EntityManager, id: string, sealed: SealedSecret, fingerprint: string): Promise<void> {
    await m.query(`UPDATE reconciliation.card_keys SET ciphertext = $2, iv = $3, auth_tag = $4, key_id = $5, fingerprint = $6 WHERE id = $1`, [
      id,
      sealed.ciphertext,
      sealed.iv,
      sealed.authTag,
      sealed.keyId,
      fingerprint,
    ]);
  }

  /** The order an incident triage knows of, if it knows the incident. */
  async orderOfIncident(m: EntityManager, incidentId: string): Promise<string | null> {
    const rows: { order_number: string }[] = await m.query(`SELECT order_number FROM reconciliation.triage_incidents WHERE incident_id = $1`, [incidentId]);
    return rows[0]?.order_number ?? null;
  }

  async orderAccount(m: EntityManager, orderNumber: string): Promise<string | null> {
    const rows: { account_id: string }[] = await m.query(`SELECT account_id FROM reconciliation.ledger_orders WHERE order_number = $1`, [orderNumber]);
    return rows[0]?.account_id ?? null;
  }

  /** Vault keys allocated to an order (by re-issue, or delivered by the shop from the vault), not revoked. */
  async keysOfOrder(m: EntityManager, orderNumber: string): Promise<SealedRow[]> {
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT k.* FROM reconciliation.card_keys k
        WHERE k.status <> 'REVOKED'
          AND (k.order_number = $1
               OR k.id::text IN (SELECT card_key_ref FROM reconciliation.ledger_deliveries WHERE order_number = $1 AND status = 'DELIVERED'))
        ORDER BY k.allocated_at NULLS LAST, k.id`,
      [orderNumber],
    );
    return rows.map(sealedRow);
  }

  async audit(m: EntityManager, entry: AuditEntry): Promise<void> {
    await m.query(
      `INSERT INTO reconciliation.audit_log (actor_type, actor_id, action, subject, before, after, reason, correlation_id)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
      [entry.actorType, entry.actorId, entry.action, entry.subject, entry.before ? JSON.stringify(entry.before) : null, entry.after ? JSON.stringify(entry.after) : null, entry.reason, entry.correlationId],
    );
  }
}
