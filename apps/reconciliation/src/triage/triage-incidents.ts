import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TriageRepository, type TriageIncidentRow } from './triage.repository.js';

/** What other modules may do with the incidents triage keeps, in the caller's transaction. */
@Injectable()
export class TriageIncidents {
  constructor(private readonly triage: TriageRepository) {}

  findIncident(m: EntityManager, incidentId: string): Promise<TriageIncidentRow | null> {
    return this.triage.findIncident(m, incidentId);
  }

  /** Serialises work on one order with triage's until the transaction ends. */
  lockOrder(m: EntityManager, orderNumber: string): Promise<void> {
    return this.triage.lockOrder(m, orderNumber);
  }

  /** The lines of an order that already have an issuance for `cause`. */
  linesIssuedFor(m: EntityManager, orderNumber: string, cause: string): Promise<number[]> {
    return this.triage.linesIssuedFor(m, orderNumber, cause);
  }

  /** Re-checks now the incidents waiting on clearing for these orders; returns how many. */
  wakeWaiting(m: EntityManager, orderNumbers: string[]): Promise<number> {
    return this.triage.makeDueNowAll(m, orderNumbers);
  }
}
