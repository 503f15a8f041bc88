import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { LedgerMirrorHooks } from '../ledger/ledger-mirror.hooks.js';
import { VaultRepository, type AuditEntry, type VaultKeyState } from './vault.repository.js';

export type { AuditEntry, VaultKeyState };

/**
 * What other modules may do with the vault's keys, in the caller's transaction: count
 * stock, allocate one to an order (SKIP LOCKED) or put it back, revoke, read the states of
 * keys, and write the vault's audit log. It also takes, from the ledger mirror, the
 * states the shop reports of the vault's own keys.
 */
@Injectable()
export class CardKeysService implements OnModuleInit {
  constructor(
    private readonly vault: VaultRepository,
    private readonly ledgerHooks: LedgerMirrorHooks,
  ) {}

  onModuleInit(): void {
    this.ledgerHooks.listen({ keyStatusReported: (m, e) => this.vault.applyReportedStatus(m, e) });
  }

  stockOf(m: EntityManager, sku: string): Promise<number> {
    return this.vault.stockOf(m, sku);
  }

  allocate(m: EntityManager, sku: string, orderNumber: string): Promise<{ id: string; hint: string } | null> {
    return this.vault.allocate(m, sku, orderNumber);
  }

  release(m: EntityManager, id: string): Promise<void> {
    return this.vault.release(m, id);
  }

  revoke(m: EntityManager, ids: string[]): Promise<void> {
    return this.vault.revoke(m, ids);
  }

  statesOf(m: EntityManager, refs: string[]): Promise<Map<string, VaultKeyState>> {
    return this.vault.statesOf(m, refs);
  }

  audit(m: EntityManager, entry: AuditEntry): Promise<void> {
    return this.vault.audit(m, entry);
  }
}
