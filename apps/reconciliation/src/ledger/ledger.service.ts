import { Injectable } from '@nestjs/common';
import type { PaymentRecordedV1 } from '@pt/contracts';
import type { EntityManager } from 'typeorm';
import type { MirroredDelivery, OrderFacts, PaymentFacts } from './ledger.facts.js';
import { LedgerRepository } from './ledger.repository.js';

/**
 * What other modules may read from, and write to, the ledger mirror: orders, payments and
 * deliveries. Every call runs in the caller's transaction.
 */
@Injectable()
export class LedgerService {
  constructor(private readonly ledger: LedgerRepository) {}

  findOrder(m: EntityManager, orderNumber: string): Promise<OrderFacts | null> {
    return this.ledger.findOrder(m, orderNumber);
  }

  accountOf(m: EntityManager, orderNumber: string): Promise<string | null> {
    return this.ledger.accountOf(m, orderNumber);
  }

  paymentsOf(m: EntityManager, orderNumber: string): Promise<PaymentFacts[]> {
    return this.ledger.paymentsOf(m, orderNumber);
  }

  deliveriesOf(m: EntityManager, orderNumber: string): Promise<MirroredDelivery[]> {
    return this.ledger.deliveriesOf(m, orderNumber);
  }

  /** The card keys delivered (and not revoked) to an order, each with the line it fills. */
  deliveredKeyLines(m: EntityManager, orderNumber: string): Promise<{ cardKeyRef: string; lineNo: number | null }[]> {
    return this.ledger.deliveredKeyLines(m, orderNumber);
  }

  /** A payment triage repaired (clearing says it cleared, the callback never came). */
  recordCorrectedPayment(m: EntityManager, e: PaymentRecordedV1, incidentId: string): Promise<boolean> {
    return this.ledger.recordPayment(m, e, incidentId);
  }

  recordReissueDelivery(m: EntityManager, orderNumber: string, lineNo: number, cardKeyId: string, at: Date): Promise<void> {
    return this.ledger.recordReissueDelivery(m, orderNumber, lineNo, cardKeyId, at);
  }

  revokeDeliveries(m: EntityManager, ids: string[]): Promise<void> {
    return this.ledger.revokeDeliveries(m, ids);
  }
}
