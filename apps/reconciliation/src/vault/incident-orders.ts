import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export type IncidentOrderLookup = (m: EntityManager, incidentId: string) => Promise<string | null>;

/**
 * Which order an incident is about, for the supervisor's reveal. Triage knows, but sits
 * above the vault: it answers here once the modules are up (TriageListeners).
 */
@Injectable()
export class IncidentOrders {
  private lookup: IncidentOrderLookup | null = null;

  answerWith(lookup: IncidentOrderLookup): void {
    this.lookup = lookup;
  }

  /** The order of an incident triage knows of; null when it does not know the incident. */
  orderOf(m: EntityManager, incidentId: string): Promise<string | null> {
    if (!this.lookup) throw new Error('no module answers which order an incident is about (is TriageModule imported?)');
    return this.lookup(m, incidentId);
  }
}
