import { Injectable } from '@nestjs/common';
import type { ChannelClientKeyChangedV1 } from '@pt/contracts';
import type { ChannelCaller } from '@pt/platform';
import { DataSource, type EntityManager } from 'typeorm';

/** Reconciliation's copy of the channel clients' key hashes, fed by access.events.v1. */
@Injectable()
export class ChannelKeyMirrorRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Applies a key change; a revoked key never comes back, whatever the order of redeliveries. */
  async apply(m: EntityManager, change: ChannelClientKeyChangedV1): Promise<void> {
    await m.query(
      `INSERT INTO reconciliation.channel_client_keys (key_id, client_id, client_name, key_hash, revoked_at, changed_at)
       VALUES ($1, $2, $3, $4, CASE WHEN $5 = 'REVOKED' THEN $6::timestamptz END, $6)
       ON CONFLICT (key_id) DO UPDATE SET
         client_name = EXCLUDED.client_name,
         revoked_at = COALESCE(reconciliation.channel_client_keys.revoked_at, EXCLUDED.revoked_at),
         changed_at = greatest(reconciliation.channel_client_keys.changed_at, EXCLUDED.changed_at)`,
      [change.keyId, change.clientId, change.clientName, change.keyHash, change.status, change.changedAt],
    );
  }

  async callerByKeyHash(keyHash: string): Promise<ChannelCaller | null> {
    const rows: { key_id: string; client_id: string; client_name: string }[] = await this.dataSource.query(
      `SELECT key_id, client_id, client_name FROM reconciliation.channel_client_keys WHERE key_hash = $1 AND revoked_at IS NULL`,
      [keyHash],
    );
    const r = rows[0];
    return r ? { clientId: r.client_id, clientName: r.client_name, keyId: r.key_id } : null;
  }
}
