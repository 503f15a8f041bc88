import { Injectable } from '@nestjs/common';
import type { CardKeyStatusChangedV1 } from '@pt/contracts';
import type { EntityManager } from 'typeorm';

/**
 * What a module above the ledger mirror wants to hear of as the mirror changes. Called in
 * the mirroring transaction (with its manager), so what a listener writes commits with
 * the mirrored event or not at all.
 */
export interface LedgerMirrorListener {
  /** An order the mirror did not know of was recorded. */
  orderPlaced?(m: EntityManager, orderNumber: string): Promise<void>;
  /** A payment the mirror did not know of was recorded for the order. */
  paymentRecorded?(m: EntityManager, orderNumber: string): Promise<void>;
  /** The shop or supplier reported a key's state; true when the listener keeps that key and took the state. */
  keyStatusReported?(m: EntityManager, e: CardKeyStatusChangedV1): Promise<boolean>;
}

/**
 * The ledger mirror sits below triage and the vault, so it does not call them: they
 * listen here (triage to wake incidents waiting for a payment, the vault to take the
 * reported state of its own keys).
 */
@Injectable()
export class LedgerMirrorHooks {
  private readonly listeners: LedgerMirrorListener[] = [];

  listen(listener: LedgerMirrorListener): void {
    this.listeners.push(listener);
  }

  async orderPlaced(m: EntityManager, orderNumber: string): Promise<void> {
    for (const listener of this.listeners) await listener.orderPlaced?.(m, orderNumber);
  }

  async paymentRecorded(m: EntityManager, orderNumber: string): Promise<void> {
    for (const listener of this.listeners) await listener.paymentRecorded?.(m, orderNumber);
  }

  /** True when a listener kept the key and took the reported state. */
  async keyStatusReported(m: EntityManager, e: CardKeyStatusChangedV1): Promise<boolean> {
    let kept = false;
    for (const listener of this.listeners) if (await listener.keyStatusReported?.(m, e)) kept = true;
    return kept;
  }
}
