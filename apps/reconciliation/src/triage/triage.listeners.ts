import { Injectable, type OnModuleInit } from '@nestjs/common';
import { afterCommit } from '@pt/database';
import type { EntityManager } from 'typeorm';
import { ClearingMirrorHooks } from '../clearing/clearing-mirror.hooks.js';
import { LedgerMirrorHooks } from '../ledger/ledger-mirror.hooks.js';
import { IncidentOrders } from '../vault/incident-orders.js';
import { TriageRepository } from './triage.repository.js';
import { TriageSweeper } from './triage.sweeper.js';

/**
 * Where triage hooks into the modules below it: a payment or clearing status the mirrors
 * learn of may be what a waiting incident waits for, so its re-check is made due now (in
 * the mirroring transaction) and the sweeper looks once that commits; and the vault asks
 * triage which order an incident is about.
 */
@Injectable()
export class TriageListeners implements OnModuleInit {
  constructor(
    private readonly triage: TriageRepository,
    private readonly sweeper: TriageSweeper,
    private readonly ledger: LedgerMirrorHooks,
    private readonly clearing: ClearingMirrorHooks,
    private readonly incidentOrders: IncidentOrders,
  ) {}

  onModuleInit(): void {
    this.ledger.listen({ orderPlaced: (m, orderNumber) => this.wake(m, orderNumber), paymentRecorded: (m, orderNumber) => this.wake(m, orderNumber) });
    this.clearing.listen({ statusChanged: (m, orderNumber) => this.wake(m, orderNumber) });
    this.incidentOrders.answerWith((m, incidentId) => this.triage.orderOfIncident(m, incidentId));
  }

  private async wake(m: EntityManager, orderNumber: string): Promise<void> {
    if ((await this.triage.makeDueNow(m, orderNumber)) > 0) afterCommit(m, () => this.sweeper.kick());
  }
}
