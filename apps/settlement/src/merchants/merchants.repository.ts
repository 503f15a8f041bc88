import { Injectable } from '@nestjs/common';
import { queryRows } from '@pt/database';
import { DataSource, type EntityManager } from 'typeorm';

export interface MerchantRow {
  id: string;
  name: string;
  created_at: Date;
}

export interface ApiKeyRow {
  id: string;
  merchant_id: string;
  prefix: string;
  label: string | null;
  created_at: Date;
  revoked_at: Date | null;
}

/** The merchant a presented key belongs to. */
export interface KeyHolder {
  merchantId: string;
  merchantName: string;
  keyId: string;
}

const KEY_COLUMNS = 'id, merchant_id, prefix, label, created_at, revoked_at';

/** Merchants and their API keys (stored as hashes only). */
@Injectable()
export class MerchantsRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Inserts a merchant; false when the id is already taken (the caller decides what that means). */
  async insertMerchant(m: EntityManager, id: string, name: string): Promise<boolean> {
    const rows: unknown[] = await m.query(`INSERT INTO settlement.merchants (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING id`, [id, name]);
    return rows.length > 0;
  }

  async findMerchant(id: string, m: EntityManager = this.dataSource.manager): Promise<MerchantRow | null> {
    const rows: MerchantRow[] = await m.query(`SELECT id, name, created_at FROM settlement.merchants WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async findMerchantByName(name: string, m: EntityManager = this.dataSource.manager): Promise<MerchantRow | null> {
    const rows: MerchantRow[] = await m.query(`SELECT id, name, created_at FROM settlement.merchants WHERE lower(name) = lower($1)`, [name]);
    return rows[0] ?? null;
  }

  async listMerchants(): Promise<(MerchantRow & { active_keys: number })[]> {
    return this.dataSource.query(
      `SELECT m.id, m.name, m.created_at,
              (SELECT count(*)::int FROM settlement.api_keys k WHERE k.merchant_id = m.id AND k.revoked_at IS NULL) AS active_keys
         FROM settlement.merchants m ORDER BY m.created_at, m.id`,
    );
  }

  async insertApiKey(m: EntityManager, key: { id: string; merchantId: string; hash: string; prefix: string; label: string | null }): Promise<ApiKeyRow> {
    const rows: ApiKeyRow[] = await m.query(
      `INSERT INTO settlement.api_keys (id, merchant_id, key_hash, prefix, label) VALUES ($1, $2, $3, $4, $5) RETURNING ${KEY_COLUMNS}`,
      [key.id, key.merchantId, key.hash, key.prefix, key.label],
    );
    return rows[0];
  }

  async listApiKeys(merchantId: string): Promise<ApiKeyRow[]> {
    return this.dataSource.query(`SELECT ${KEY_COLUMNS} FROM settlement.api_keys WHERE merchant_id = $1 ORDER BY created_at, id`, [merchantId]);
  }

  /** The key, locked until the end of the transaction. */
  async lockApiKey(m: EntityManager, merchantId: string, keyId: string): Promise<ApiKeyRow | null> {
    const rows: ApiKeyRow[] = await m.query(`SELECT ${KEY_COLUMNS} FROM settlement.api_keys WHERE id = $1 AND merchant_id = $2 FOR UPDATE`, [
      keyId,
      merchantId,
    ]);
    return rows[0] ?? null;
  }

  /** Revokes the key (keeping the first revocation time); null when the merchant has no such key. */
  async revokeApiKey(m: EntityManager, merchantId: string, keyId: string): Promise<ApiKeyRow | null> {
    const rows = await queryRows<ApiKeyRow>(
      m,
      `UPDATE settlement.api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 AND merchant_id = $2 RETURNING ${KEY_COLUMNS}`,
      [keyId, merchantId],
    );
    return rows[0] ?? null;
  }

  /** Who holds an active key with this hash; revoked keys match nothing. */
  async findKeyHolder(keyHash: string): Promise<KeyHolder | null> {
    const rows: { merchant_id: string; name: string; id: string }[] = await this.dataSource.query(
      `SELECT k.id, k.merchant_id, m.name FROM settlement.api_keys k JOIN settlement.merchants m ON m.id = k.merchant_id
        WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
      [keyHash],
    );
    const row = rows[0];
    return row ? { merchantId: row.merchant_id, merchantName: row.name, keyId: row.id } : null;
  }
}
