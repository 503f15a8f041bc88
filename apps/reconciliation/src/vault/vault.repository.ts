import { Injectable } from '@nestjs/common';
import { queryRows } from '@pt/database';
import { DataSource, type EntityManager } from 'typeorm';
import type { SealedSecret } from './card-key.cipher.js';

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
      `SELECT sku, count(*) FILTER (WHERE status = 'AVAILABLE')::int AS available,
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

  async revoke(m: EntityManager, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await m.query(`UPDATE reconciliation.card_keys SET status = 'REVOKED' WHERE id::text = ANY($1::text[])`, [ids]);
  }
}
