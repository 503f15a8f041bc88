import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * What a module above the clearing mirror wants to hear of as the mirror changes (triage:
 * to wake the incidents waiting on an order's clearing). Called in the mirroring
 * transaction, with its manager.
 */
export interface ClearingMirrorListener {
  /** The stored clearing state of a payment of the order changed. */
  statusChanged(m: EntityManager, orderNumber: string): Promise<void>;
}

/** The clearing mirror sits below triage, so it does not call it: triage listens here. */
@Injectable()
export class ClearingMirrorHooks {
  private readonly listeners: ClearingMirrorListener[] = [];

  listen(listener: ClearingMirrorListener): void {
    this.listeners.push(listener);
  }

  async statusChanged(m: EntityManager, orderNumber: string): Promise<void> {
    for (const listener of this.listeners) await listener.statusChanged(m, orderNumber);
  }
}
