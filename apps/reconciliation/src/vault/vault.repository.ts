import { Injectable } from '@nestjs/common';
import type { CardKeyStatusChangedV1 } from '@pt/contracts';
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

/** A vault key's own state, as triage weighs a delivered key. */
export interface VaultKeyState {
  status: string;
  redeemedByAccountId: string | null;
  expiresAt: Date | null;
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
    const rows: { fingerprint: string }[] = await m.query(`SELECT fingerprint FROM reconciliation.card_keys WHERE fingerprint = ANY($1::text[])`, [
      fingerprints,
    ]);
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

  /** Vault keys allocated to an order (by re-issue) or delivered to it (`deliveredRefs`, from the ledger mirror), not revoked. */
  async keysOfOrder(m: EntityManager, orderNumber: string, deliveredRefs: string[]): Promise<SealedRow[]> {
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT k.* FROM reconciliation.card_keys k
        WHERE k.status <> 'REVOKED'
          AND (k.order_number = $1 OR k.id::text = ANY($2::text[]))
        ORDER BY k.allocated_at NULLS LAST, k.id`,
      [orderNumber, deliveredRefs],
    );
    return rows.map(sealedRow);
  }

  /**
   * A state the shop or supplier reported for a key of the vault that is allocated or
   * already redeemed: the row takes it (EXPIRED is stored as REVOKED). True when the key
   * is such a key of the vault.
   */
  async applyReportedStatus(m: EntityManager, e: CardKeyStatusChangedV1): Promise<boolean> {
    const result = await m.query<unknown>(
      `UPDATE reconciliation.card_keys SET status = $2, redeemed_by_account_id = $3
        WHERE id::text = $1 AND status IN ('ALLOCATED','REDEEMED')`,
      [e.cardKeyRef, e.status === 'EXPIRED' ? 'REVOKED' : e.status, e.redeemedByAccountId ?? null],
    );
    const affected = Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
    return affected > 0;
  }

  /** The vault's own state of those of `refs` that are vault keys, by reference. */
  async statesOf(m: EntityManager, refs: string[]): Promise<Map<string, VaultKeyState>> {
    const states = new Map<string, VaultKeyState>();
    if (refs.length === 0) return states;
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT id::text AS ref, status, redeemed_by_account_id, expires_at FROM reconciliation.card_keys WHERE id::text = ANY($1::text[])`,
      [refs],
    );
    for (const r of rows) {
      states.set(r.ref as string, {
        status: r.status as string,
        redeemedByAccountId: (r.redeemed_by_account_id as string | null) ?? null,
        expiresAt: (r.expires_at as Date | null) ?? null,
      });
    }
    return states;
  }

  async audit(m: EntityManager, entry: AuditEntry): Promise<void> {
    await m.query(
      `INSERT INTO reconciliation.audit_log (actor_type, actor_id, action, subject, before, after, reason, correlation_id)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
      [
        entry.actorType,
        entry.actorId,
        entry.action,
        entry.subject,
        entry.before ? JSON.stringify(entry.before) : null,
        entry.after ? JSON.stringify(entry.after) : null,
        entry.reason,
        entry.correlationId,
      ],
    );
  }
}
