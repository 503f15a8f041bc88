import { Inject, Injectable } from '@nestjs/common';
import {
  INCIDENT_TRIAGED_TYPE,
  LEDGER_EVENT_TYPES,
  type IncidentRecheckRequestedV1,
  type IncidentReportedV1,
  type IncidentTriagedV1,
  type PaymentCorrectedV1,
} from '@pt/contracts';
import { afterCommit, enqueueEvent } from '@pt/database';
import type { FaultInjector } from '@pt/faults';
import { JsonLogger, ServiceMetrics } from '@pt/observability';
import { FAULT_INJECTOR, SERVICE_CONFIG } from '@pt/platform';
import type { EntityManager } from 'typeorm';
import { ClearingService } from '../clearing/clearing.service.js';
import type { ReconciliationConfig } from '../config/reconciliation.config.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { CardKeysService } from '../vault/card-keys.service.js';
import { CardKeyIssuer } from './card-key-issuer.js';
import { orderLines, placeDeliveries, reportFacts, type DeliveryFacts, type Evidence, type TriageLimits } from './evidence.js';
import { RULE_VERSION, decide, lineList, missingKeys, type TriageDecision } from './triage.rules.js';
import { TriageRepository, type ReportlessEvidence, type TriageIncidentRow } from './triage.repository.js';

export interface TriageResult {
  decisionId: string;
  outcome: string;
  reasonCode: string;
  /** The first of issuanceIds, or null. */
  issuanceId: string | null;
  issuanceIds: string[];
}

/**
 * Gathers the evidence for an incident, applies the triage table, and carries out the
 * decision, all in the caller's transaction: the decision, any issuance, the ledger
 * repair and the outbox events commit together or not at all.
 */
@Injectable()
export class TriageService {
  private readonly limits: TriageLimits;
  private readonly schedule: number[];

  constructor(
    private readonly triage: TriageRepository,
    private readonly ledger: LedgerService,
    private readonly clearing: ClearingService,
    private readonly vault: CardKeysService,
    private readonly issuer: CardKeyIssuer,
    private readonly metrics: ServiceMetrics,
    private readonly logger: JsonLogger,
    @Inject(SERVICE_CONFIG) config: ReconciliationConfig,
    @Inject(FAULT_INJECTOR) private readonly faults: FaultInjector,
  ) {
    this.limits = {
      orderWaitMinutes: config.TRIAGE_ORDER_WAIT_MINUTES,
      waitingWindowMinutes: config.TRIAGE_WAITING_WINDOW_MINUTES,
      clearingStuckAfterMinutes: config.TRIAGE_CLEARING_STUCK_AFTER_MINUTES,
      autoIssueCapsMinor: config.autoIssueCapsMinor(),
      paidAfterExpiryGraceMinutes: config.TRIAGE_PAID_AFTER_EXPIRY_GRACE_MINUTES,
      velocityLimit: config.TRIAGE_VELOCITY_LIMIT,
      velocityWindowHours: config.TRIAGE_VELOCITY_WINDOW_HOURS,
    };
    this.schedule = config.recheckScheduleMinutes();
  }

  /** First triage of a reported incident. */
  async onReported(m: EntityManager, report: IncidentReportedV1, correlationId: string): Promise<TriageResult | null> {
    await this.triage.lockOrder(m, report.orderNumber);
    const incident = await this.triage.rememberIncident(m, report, correlationId);
    if (incident.state !== 'PENDING') return null;
    return this.run(m, incident, correlationId);
  }

  /** A re-check of a waiting incident (clearing event arrived, or the sweeper's turn). */
  async recheck(m: EntityManager, incident: TriageIncidentRow): Promise<TriageResult> {
    await this.triage.lockOrder(m, incident.orderNumber);
    return this.run(m, incident, incident.correlationId);
  }

  /**
   * Gives up on an incident whose re-checks kept failing: records and publishes an
   * ESCALATED RECHECK_FAILED decision through the usual path (decisions, outbox,
   * incident.triaged), so intake puts it in the agents' queue. The evidence is gathered
   * if it can be; when gathering is what fails, it holds the report and nothing else.
   */
  async escalateRecheckFailed(m: EntityManager, incident: TriageIncidentRow, failures: number, lastError: string): Promise<TriageResult> {
    const now = new Date();
    let evidence: Evidence;
    await m.query('SAVEPOINT recheck_failed_evidence');
    try {
      evidence = await this.gatherEvidence(m, incident, now);
      await m.query('RELEASE SAVEPOINT recheck_failed_evidence');
    } catch {
      await m.query('ROLLBACK TO SAVEPOINT recheck_failed_evidence');
      const r = incident.report;
      evidence = {
        now: now.toISOString(),
        report: reportFacts(r, incident.firstReportedAt),
        order: null,
        payments: [],
        clearing: [],
        deliveries: [],
        issuanceCauses: [],
        stockAvailable: 0,
        accountReissuesInWindow: 0,
        limits: this.limits,
      };
    }
    const decisionId = crypto.randomUUID();
    const outcome = 'ESCALATED';
    const reasonCode = 'RECHECK_FAILED';
    const explanation = `Re-checking this incident failed ${failures} times in a row; triage gave up and a person must decide. Last error: ${lastError}`.slice(
      0,
      500,
    );
    const sequence = await this.triage.insertDecision(m, {
      id: decisionId,
      incidentId: incident.incidentId,
      orderNumber: incident.orderNumber,
      outcome,
      reasonCode,
      explanation,
      ruleVersion: RULE_VERSION,
      evidence,
      issuanceId: null,
      issuanceIds: [],
      decidedAt: now.toISOString(),
    });
    await this.triage.markTriaged(m, incident.incidentId, decisionId, false, null);
    const triaged: IncidentTriagedV1 = {
      incidentId: incident.incidentId,
      decisionId,
      orderNumber: incident.orderNumber,
      outcome,
      reasonCode,
      explanation,
      ruleVersion: RULE_VERSION,
      decidedAt: now.toISOString(),
      sequence,
      ...(evidence.order ? { merchantId: evidence.order.merchantId } : {}),
    };
    await enqueueEvent(m, INCIDENT_TRIAGED_TYPE, incident.orderNumber, triaged, incident.correlationId);
    afterCommit(m, () => {
      this.metrics.triageOutcomes.inc({ outcome, reason: reasonCode });
      this.logger.warn({ msg: 'incident escalated: its re-checks kept failing', incidentId: incident.incidentId, failures, lastError }, 'TriageService');
    });
    return { decisionId, outcome, reasonCode, issuanceId: null, issuanceIds: [] };
  }

  /**
   * An agent asked to re-check an incident whose report never reached triage (lost,
   * dead-lettered, or not yet consumed). The command carries no report (no account, no
   * phone, no type), so the table cannot run: the incident is escalated as
   * REPORT_NOT_RECEIVED, with the order's ledger and clearing facts as evidence, through
   * the usual path (decision, outbox, incident.triaged). Nothing is remembered for
   * re-checks; a report arriving later is triaged as usual.
   */
  async escalateReportNotReceived(m: EntityManager, request: IncidentRecheckRequestedV1, correlationId: string): Promise<TriageResult> {
    await this.triage.lockOrder(m, request.orderNumber);
    const now = new Date();
    const order = await this.ledger.findOrder(m, request.orderNumber);
    const since = new Date(now.getTime() - this.limits.velocityWindowHours * 3_600_000);
    const evidence: ReportlessEvidence = {
      now: now.toISOString(),
      report: null,
      order,
      payments: await this.ledger.paymentsOf(m, request.orderNumber),
      clearing: await this.clearing.recordsOf(m, request.orderNumber),
      ...(await this.linesOf(m, request.orderNumber, order)),
      stockAvailable: order ? await this.vault.stockOf(m, order.sku) : 0,
      accountReissuesInWindow: order ? await this.triage.accountReissuesSince(m, order.accountId, since, request.orderNumber) : 0,
      limits: this.limits,
    };
    const decisionId = crypto.randomUUID();
    const outcome = 'ESCALATED';
    const reasonCode = 'REPORT_NOT_RECEIVED';
    const explanation =
      'Triage never received this report, so it cannot be triaged from a re-check request (which carries no account or payment details). ' +
      `The evidence shows what the ledger holds for order ${request.orderNumber}${order ? '' : ' (nothing: the order is not in the ledger)'}. ` +
      'Decide it from the report and the evidence, or have the report replayed.';
    const sequence = await this.triage.insertDecision(m, {
      id: decisionId,
      incidentId: request.incidentId,
      orderNumber: request.orderNumber,
      outcome,
      reasonCode,
      explanation,
      ruleVersion: RULE_VERSION,
      evidence,
      issuanceId: null,
      issuanceIds: [],
      decidedAt: now.toISOString(),
    });
    const triaged: IncidentTriagedV1 = {
      incidentId: request.incidentId,
      decisionId,
      orderNumber: request.orderNumber,
      outcome,
      reasonCode,
      explanation,
      ruleVersion: RULE_VERSION,
      decidedAt: now.toISOString(),
      sequence,
      ...(order ? { merchantId: order.merchantId } : {}),
    };
    await enqueueEvent(m, INCIDENT_TRIAGED_TYPE, request.orderNumber, triaged, correlationId);
    afterCommit(m, () => {
      this.metrics.triageOutcomes.inc({ outcome, reason: reasonCode });
      this.logger.warn({ msg: 're-check of an incident triage never saw: escalated', incidentId: request.incidentId, reasonCode }, 'TriageService');
    });
    return { decisionId, outcome, reasonCode, issuanceId: null, issuanceIds: [] };
  }

  async gatherEvidence(m: EntityManager, incident: TriageIncidentRow, now: Date): Promise<Evidence> {
    const report = incident.report;
    const order = await this.ledger.findOrder(m, report.orderNumber);
    const since = new Date(now.getTime() - this.limits.velocityWindowHours * 3_600_000);
    return {
      now: now.toISOString(),
      report: reportFacts(report, incident.firstReportedAt),
      order,
      payments: await this.ledger.paymentsOf(m, report.orderNumber),
      clearing: await this.clearing.recordsOf(m, report.orderNumber),
      ...(await this.linesOf(m, report.orderNumber, order)),
      stockAvailable: order ? await this.vault.stockOf(m, order.sku) : 0,
      accountReissuesInWindow: await this.triage.accountReissuesSince(m, report.accountId, since, report.orderNumber),
      limits: this.limits,
    };
  }

  /** The deliveries and issuances of an order, and the lines they fill and leave owed. */
  private async linesOf(
    m: EntityManager,
    orderNumber: string,
    order: { accountId: string; quantity: number } | null,
  ): Promise<Pick<Evidence, 'deliveries' | 'issuanceCauses' | 'issuances' | 'lines'>> {
    const deliveries = await this.deliveriesOf(m, orderNumber, order?.accountId ?? null);
    const issuances = await this.triage.issuancesOf(m, orderNumber);
    return {
      deliveries,
      issuanceCauses: issuances.map((i) => i.cause),
      issuances,
      ...(order ? { lines: orderLines(order.quantity, deliveries) } : {}),
    };
  }

  /**
   * Deliveries of an order with the state of the delivered key: what the shop or supplier
   * reported of it, else the vault's own state when it is a vault key. A key redeemed by
   * the order's own account counts as valid: the buyer used it.
   */
  private async deliveriesOf(m: EntityManager, orderNumber: string, orderAccountId: string | null): Promise<DeliveryFacts[]> {
    const deliveries = await this.ledger.deliveriesOf(m, orderNumber);
    const vaultStates = await this.vault.statesOf(m, [...new Set(deliveries.flatMap((d) => (d.cardKeyRef === null ? [] : [d.cardKeyRef])))]);
    return deliveries.map((d) => {
      const vault = d.cardKeyRef === null ? undefined : vaultStates.get(d.cardKeyRef);
      const status = d.reportedStatus ?? vault?.status ?? null;
      const redeemedBy = d.reportedRedeemedBy ?? vault?.redeemedByAccountId ?? null;
      const expiresAt = vault?.expiresAt ?? null;
      let keyState: DeliveryFacts['keyState'] = 'VALID';
      if (status === 'REVOKED') keyState = 'REVOKED';
      else if (status === 'EXPIRED') keyState = 'EXPIRED';
      else if (status === 'REDEEMED') keyState = redeemedBy !== null && redeemedBy === orderAccountId ? 'VALID' : 'REDEEMED';
      else if (expiresAt && new Date(expiresAt).getTime() < Date.now()) keyState = 'EXPIRED';
      return { deliveryId: d.deliveryId, lineNo: d.lineNo, cardKeyRef: d.cardKeyRef ?? '', source: d.source, deliveredAt: d.deliveredAt, keyState };
    });
  }

  /** The next step of the back-off schedule, but never after the wait runs out. */
  private nextCheckAt(attempts: number, now: Date, waitUntil: string | undefined): Date {
    const minutes = this.schedule[Math.min(attempts, this.schedule.length - 1)];
    const next = now.getTime() + minutes * 60_000;
    return new Date(waitUntil ? Math.min(next, Date.parse(waitUntil) + 1000) : next);
  }

  private async run(m: EntityManager, incident: TriageIncidentRow, correlationId: string): Promise<TriageResult> {
    const now = new Date();
    const evidence = await this.gatherEvidence(m, incident, now);
    let decision: TriageDecision = decide(evidence);
    const issuanceIds: string[] = [];
    const cardKeyIds: string[] = [];

    if (decision.action.kind === 'REISSUE') {
      const action = decision.action;
      const order = evidence.order!;
      // One issuance per owed line, lowest first; the unique constraint stops a line issued twice.
      const issuedLines: number[] = [];
      let outOfStock = false;
      for (const line of action.lines) {
        const issued = await this.issuer.issue(m, order, line, action.cause, incident.incidentId, correlationId, now);
        if (issued.kind === 'OUT_OF_STOCK') {
          outOfStock = true;
          break;
        }
        if (issued.kind === 'ISSUED') {
          issuedLines.push(line);
          issuanceIds.push(issued.issuanceId);
          cardKeyIds.push(issued.cardKeyId);
        }
      }
      const owed = orderLines(order.quantity, evidence.deliveries).owed;
      if (issuedLines.length === 0) {
        decision = outOfStock
          ? {
              outcome: 'ESCALATED',
              reasonCode: 'OUT_OF_STOCK',
              explanation: (owed.length === 1 ? `No card key of SKU ${order.sku} is in stock to re-issue.` : missingKeys(0, owed, order.sku)).slice(0, 500),
              action: { kind: 'NONE' },
            }
          : {
              outcome: 'AUTO_RESOLVED',
              reasonCode: 'ALREADY_DELIVERED',
              explanation:
                `A card key was already issued for ${order.quantity > 1 ? `each owed line (${lineList(action.lines)}) of this order` : 'this order'} and cause.`.slice(
                  0,
                  500,
                ),
              action: { kind: 'NONE' },
            };
      } else {
        this.faults.reached('mid-issuance');
        if (outOfStock) {
          // The stock ran out between reading it and allocating: what was issued stands, the rest escalates.
          decision = {
            outcome: 'ESCALATED',
            reasonCode: 'OUT_OF_STOCK',
            explanation: `${missingKeys(issuedLines.length, owed, order.sku)} ${lineList(issuedLines)} re-issued.`.slice(0, 500),
            action,
          };
        }
        const revoking = placeDeliveries(evidence.deliveries).filter(
          (p) => action.revokeDeliveryIds.includes(p.delivery.deliveryId) && issuedLines.includes(p.lineNo),
        );
        await this.ledger.revokeDeliveries(
          m,
          revoking.map((p) => p.delivery.deliveryId),
        );
        await this.vault.revoke(
          m,
          revoking.map((p) => p.delivery.cardKeyRef),
        );
        for (const repair of action.repairPayments) {
          const corrected: PaymentCorrectedV1 = {
            orderNumber: order.orderNumber,
            paymentReference: repair.paymentReference,
            channel: repair.channel,
            amountMinor: repair.amountMinor,
            currency: repair.currency,
            paidAt: repair.statusAt,
            incidentId: incident.incidentId,
            reason: 'clearing CLEARED but no payment callback in the ledger',
          };
          await this.ledger.recordCorrectedPayment(m, corrected, incident.incidentId);
          await enqueueEvent(m, LEDGER_EVENT_TYPES.paymentCorrected, order.orderNumber, corrected, correlationId);
        }
      }
    }

    const decisionId = crypto.randomUUID();
    const sequence = await this.triage.insertDecision(m, {
      id: decisionId,
      incidentId: incident.incidentId,
      orderNumber: incident.orderNumber,
      outcome: decision.outcome,
      reasonCode: decision.reasonCode,
      explanation: decision.explanation,
      ruleVersion: RULE_VERSION,
      evidence,
      issuanceId: issuanceIds[0] ?? null,
      issuanceIds,
      decidedAt: now.toISOString(),
    });
    const awaiting = decision.outcome === 'AWAITING_CLEARING';
    await this.triage.markTriaged(m, incident.incidentId, decisionId, awaiting, awaiting ? this.nextCheckAt(incident.attempts, now, decision.waitUntil) : null);
    const triaged: IncidentTriagedV1 = {
      incidentId: incident.incidentId,
      decisionId,
      orderNumber: incident.orderNumber,
      outcome: decision.outcome,
      reasonCode: decision.reasonCode,
      explanation: decision.explanation,
      ruleVersion: RULE_VERSION,
      ...(cardKeyIds.length > 0 ? { cardKeyId: cardKeyIds[0], cardKeyIds } : {}),
      decidedAt: now.toISOString(),
      sequence,
      ...(evidence.order ? { merchantId: evidence.order.merchantId } : {}),
    };
    await enqueueEvent(m, INCIDENT_TRIAGED_TYPE, incident.orderNumber, triaged, correlationId);
    // Told only once committed: an attempt rolled back (a lost connection) is decided again.
    afterCommit(m, () => {
      this.metrics.triageOutcomes.inc({ outcome: decision.outcome, reason: decision.reasonCode });
      this.logger.log(
        { msg: 'incident triaged', incidentId: incident.incidentId, outcome: decision.outcome, reasonCode: decision.reasonCode, issuanceIds },
        'TriageService',
      );
    });
    return { decisionId, outcome: decision.outcome, reasonCode: decision.reasonCode, issuanceId: issuanceIds[0] ?? null, issuanceIds };
  }
}
