import { Injectable } from '@nestjs/common';
import { INCIDENT_ACTION_TYPES, type IncidentActionCompletedV1, type IncidentForceReissueRequestedV1, type IncidentRecheckRequestedV1 } from '@pt/contracts';
import { enqueueEvent } from '@pt/database';
import type { EntityManager } from 'typeorm';
import { LedgerService } from '../ledger/ledger.service.js';
import { CardKeyIssuer } from '../triage/card-key-issuer.js';
import { TriageIncidents } from '../triage/triage-incidents.js';
import { TriageService } from '../triage/triage.service.js';
import { CardKeysService } from '../vault/card-keys.service.js';

/** What agents ask of reconciliation through intake: a re-check, or a forced re-issue. */
@Injectable()
export class AgentRequestsService {
  constructor(
    private readonly triage: TriageService,
    private readonly incidents: TriageIncidents,
    private readonly ledger: LedgerService,
    private readonly vault: CardKeysService,
    private readonly issuer: CardKeyIssuer,
  ) {}

  /** Applies an agent's command by its event type; false when the type is no command. */
  async applyCommand(m: EntityManager, type: string, payload: unknown, correlationId: string): Promise<boolean> {
    if (type === INCIDENT_ACTION_TYPES.recheckRequested) await this.recheck(m, payload as IncidentRecheckRequestedV1, correlationId);
    else if (type === INCIDENT_ACTION_TYPES.forceReissueRequested) await this.forceReissue(m, payload as IncidentForceReissueRequestedV1, correlationId);
    else return false;
    return true;
  }

  /** Re-runs the table; an incident triage never saw is escalated as REPORT_NOT_RECEIVED (the command carries no report). */
  async recheck(m: EntityManager, request: IncidentRecheckRequestedV1, correlationId: string): Promise<void> {
    const incident = await this.incidents.findIncident(m, request.incidentId);
    if (!incident) {
      await this.triage.escalateReportNotReceived(m, request, correlationId);
      return;
    }
    await this.triage.recheck(m, incident);
  }

  /**
   * Issues a card key on a supervisor's order, through the same exactly-once path as
   * triage: cause FORCED, for the lowest line of the order without a forced issuance yet
   * (at most one per order line), key allocated with SKIP LOCKED.
   */
  async forceReissue(m: EntityManager, request: IncidentForceReissueRequestedV1, correlationId: string): Promise<void> {
    await this.incidents.lockOrder(m, request.orderNumber);
    const order = await this.ledger.findOrder(m, request.orderNumber);
    const done = async (result: IncidentActionCompletedV1['result'], detail: string, cardKeyId?: string) => {
      const event: IncidentActionCompletedV1 = {
        incidentId: request.incidentId,
        action: 'FORCE_REISSUE',
        agentId: request.requestedBy,
        result,
        ...(cardKeyId ? { cardKeyId } : {}),
        detail,
        completedAt: new Date().toISOString(),
      };
      await enqueueEvent(m, INCIDENT_ACTION_TYPES.actionCompleted, request.orderNumber, event, correlationId);
      await this.vault.audit(m, {
        actorType: 'AGENT',
        actorId: request.requestedBy,
        action: `FORCE_REISSUE_${result}`,
        subject: `order:${request.orderNumber}`,
        after: { incidentId: request.incidentId, cardKeyId: cardKeyId ?? null },
        reason: request.reason,
        correlationId,
      });
    };
    if (!order) return done('ORDER_NOT_FOUND', `order ${request.orderNumber} is not in the ledger; nothing was issued`);
    const forced = new Set(await this.incidents.linesIssuedFor(m, order.orderNumber, 'FORCED'));
    let line = 1;
    while (forced.has(line)) line += 1;
    const units = Math.max(1, order.quantity);
    const issued =
      line > units ? ({ kind: 'ALREADY_ISSUED' } as const) : await this.issuer.issue(m, order, line, 'FORCED', request.incidentId, correlationId, new Date());
    if (issued.kind === 'OUT_OF_STOCK') return done('OUT_OF_STOCK', `no card key of SKU ${order.sku} is in stock`);
    if (issued.kind === 'ALREADY_ISSUED') {
      return done(
        'ALREADY_ISSUED',
        units > 1
          ? `a forced re-issue was already made for each of the order's ${units} lines; nothing more was issued`
          : 'a forced re-issue was already made for this order; nothing more was issued',
      );
    }
    const which = units > 1 ? ` for line ${line} of ${units}` : '';
    return done('ISSUED', `card key ${issued.hint} issued${which} on a supervisor's order`, issued.cardKeyId);
  }
}
