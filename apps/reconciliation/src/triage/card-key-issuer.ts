import { Injectable } from '@nestjs/common';
import { CARDKEY_REISSUED_TYPE, type CardKeyReissuedV1 } from '@pt/contracts';
import { enqueueEvent } from '@pt/database';
import type { EntityManager } from 'typeorm';
import type { OrderFacts } from '../ledger/ledger.facts.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { CardKeysService } from '../vault/card-keys.service.js';
import { TriageRepository } from './triage.repository.js';

export type IssueResult = { kind: 'ISSUED'; issuanceId: string; cardKeyId: string; hint: string } | { kind: 'ALREADY_ISSUED' } | { kind: 'OUT_OF_STOCK' };

/**
 * The one path by which a card key leaves the vault for an order line: allocate with SKIP
 * LOCKED, insert the issuance (unique per order line and cause, and per key), record the
 * delivery on that line and announce it. Runs in the caller's transaction, under its order lock.
 */
@Injectable()
export class CardKeyIssuer {
  constructor(
    private readonly vault: CardKeysService,
    private readonly triage: TriageRepository,
    private readonly ledger: LedgerService,
  ) {}

  async issue(
    m: EntityManager,
    order: OrderFacts,
    lineNo: number,
    cause: 'PAID_NOT_CREDITED' | 'REPLACEMENT' | 'FORCED',
    incidentId: string,
    correlationId: string,
    now: Date,
  ): Promise<IssueResult> {
    const key = await this.vault.allocate(m, order.sku, order.orderNumber);
    if (!key) return { kind: 'OUT_OF_STOCK' };
    const issuanceId = await this.triage.insertIssuance(m, {
      id: crypto.randomUUID(),
      orderNumber: order.orderNumber,
      lineNo,
      cause,
      cardKeyId: key.id,
      incidentId,
      accountId: order.accountId,
    });
    if (!issuanceId) {
      // The unique constraint says this order line and cause was already issued: put the key back.
      await this.vault.release(m, key.id);
      return { kind: 'ALREADY_ISSUED' };
    }
    await this.ledger.recordReissueDelivery(m, order.orderNumber, lineNo, key.id, now);
    const reissued: CardKeyReissuedV1 = {
      issuanceId,
      incidentId,
      orderNumber: order.orderNumber,
      lineNo,
      sku: order.sku,
      cardKeyId: key.id,
      maskedHint: key.hint,
      issuedAt: now.toISOString(),
    };
    await enqueueEvent(m, CARDKEY_REISSUED_TYPE, order.orderNumber, reissued, correlationId);
    return { kind: 'ISSUED', issuanceId, cardKeyId: key.id, hint: key.hint };
  }
}
