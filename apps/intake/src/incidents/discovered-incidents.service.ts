import { Inject, Injectable } from '@nestjs/common';
import {
  INCIDENT_REPORTED_TYPE,
  type IncidentDiscoveredV1,
  type IncidentReportedV1,
  type SecurityAlertRaisedV1,
  type SystemicIncidentDiscoveredV1,
} from '@pt/contracts';
import { enqueueEvent } from '@pt/database';
import { JsonLogger } from '@pt/observability';
import { SERVICE_CONFIG } from '@pt/platform';
import type { EntityManager } from 'typeorm';
import type { IntakeConfig } from '../config/intake.config.js';
import { AuditRepository } from '../audit/audit.repository.js';
import { SlaService } from '../sla/sla.service.js';
import { IncidentLifecycleService } from './incident-lifecycle.service.js';
import { newIncident, type IncidentEntity } from './incident.entity.js';
import { IncidentRepository } from './incident.repository.js';

/** The "order number" of a systemic incident: the channel's statement days, one open incident per days. */
export function systemicIncidentLabel(channel: string, start: string, end: string): string {
  return `RECON-${channel}-${start}${start === end ? '' : `..${end}`}`;
}

/**
 * Incidents reconciliation found before anyone complained. An order it found paid but not
 * credited goes the way of a buyer's report: it joins an incident already open for the
 * order, or opens one (source RECONCILIATION) and hands it to triage with
 * incident.reported. A systemic incident stands for too many such orders at once and goes
 * straight to the agents' queue, escalated.
 */
@Injectable()
export class DiscoveredIncidentsService {
  constructor(
    private readonly incidents: IncidentRepository,
    private readonly logger: JsonLogger,
    @Inject(SERVICE_CONFIG) private readonly config: IntakeConfig,
    private readonly sla: SlaService,
    private readonly lifecycle: IncidentLifecycleService,
    private readonly audit: AuditRepository,
  ) {}

  /** True when an incident was opened (and incident.reported written to the outbox). */
  async openDiscovered(m: EntityManager, d: IncidentDiscoveredV1, correlationId: string): Promise<boolean> {
    if (await this.incidents.findById(d.discoveryId, m)) return false;
    const joinSince = new Date(Date.now() - this.config.INTAKE_REPORT_DEDUPE_HOURS * 3_600_000);
    const existing = await this.incidents.findJoinable(d.orderNumber, d.incidentType, joinSince, { kind: 'system', accountId: d.accountId }, m);
    if (existing) {
      this.logger.log(
        { msg: 'reconciliation finding joins an existing incident', incidentId: existing.id, orderNumber: d.orderNumber, runId: d.runId },
        'DiscoveredIncidents',
      );
      return false;
    }
    const now = new Date();
    const incident = newIncident(
      {
        id: d.discoveryId,
        ticketNumber: await this.incidents.nextTicketNumber(m, now),
        incidentType: d.incidentType,
        source: 'RECONCILIATION',
        status: 'RECEIVED' as const,
        orderNumber: d.orderNumber,
        accountId: d.accountId,
        phoneLast4Hash: null,
        amountMinor: d.amountMinor,
        currency: d.currency,
        paidAt: new Date(d.paidAt),
        channel: d.channel,
        paymentReference: d.paymentReference,
        urgent: false,
        description: d.explanation,
        correlationId,
        priority: this.sla.priority(false, d.amountMinor, d.currency, null),
      },
      now,
    );
    this.lifecycle.refreshDue(incident);
    if (!(await this.incidents.insertIfNoneOpen(m, incident))) return false;
    await this.audit.append(m, {
      incidentId: incident.id,
      actorType: 'SYSTEM',
      actorId: 'reconciliation',
      actorName: 'bulk reconciliation',
      action: 'DISCOVERED',
      statusAfter: 'RECEIVED',
      after: { runId: d.runId, orderNumber: d.orderNumber, amountMinor: d.amountMinor, currency: d.currency, priority: incident.priority },
      reason: d.explanation,
      correlationId,
    });
    const reported: IncidentReportedV1 = {
      incidentId: incident.id,
      ticketNumber: incident.ticketNumber,
      incidentType: d.incidentType,
      source: 'RECONCILIATION',
      orderNumber: d.orderNumber,
      accountId: d.accountId,
      amountMinor: d.amountMinor,
      currency: d.currency,
      paidAt: incident.paidAt.toISOString(),
      channel: d.channel,
      paymentReference: d.paymentReference,
      urgent: false,
      reportedAt: now.toISOString(),
    };
    await enqueueEvent(m, INCIDENT_REPORTED_TYPE, d.orderNumber, reported, correlationId);
    return true;
  }

  /** True when a systemic incident was opened; a second one for the same days joins the open one. */
  async openSystemic(m: EntityManager, s: SystemicIncidentDiscoveredV1, correlationId: string): Promise<boolean> {
    if (await this.incidents.findById(s.systemicIncidentId, m)) return false;
    const label = systemicIncidentLabel(s.channel, s.periodStart, s.periodEnd);
    const existing = await this.incidents.findJoinable(label, 'SYSTEMIC_DISCREPANCY', new Date(), { kind: 'system', accountId: null }, m);
    if (existing) return false;
    const now = new Date();
    const listed = s.orderNumbers.join(', ');
    const incident = newIncident(
      {
        id: s.systemicIncidentId,
        ticketNumber: await this.incidents.nextTicketNumber(m, now),
        incidentType: 'SYSTEMIC_DISCREPANCY',
        source: 'RECONCILIATION',
        status: 'ESCALATED' as const,
        orderNumber: label,
        accountId: 'reconciliation',
        phoneLast4Hash: null,
        amountMinor: s.totalAmountMinor,
        currency: s.currency,
        paidAt: new Date(`${s.periodStart}T00:00:00Z`),
        channel: s.channel,
        paymentReference: null,
        urgent: true,
        description: `${s.orderCount} orders paid but not credited (cap ${s.cap}); first ${s.orderNumbers.length}: ${listed}`,
        outcome: 'ESCALATED',
        reasonCode: 'RECONCILIATION_STORM',
        explanation: s.explanation,
        // The record that decided it: the systemic incident in reconciliation.
        decisionId: s.systemicIncidentId,
        triagedAt: now,
        correlationId,
        priority: 'P1',
      },
      now,
    );
    const opened = await this.openEscalated(
      m,
      incident,
      'bulk reconciliation',
      'DISCOVERED_SYSTEMIC',
      { runId: s.runId, orders: s.orderCount, cap: s.cap },
      s.explanation,
    );
    if (opened) this.logger.warn({ msg: 'systemic incident opened', incidentId: incident.id, runId: s.runId, orders: s.orderCount }, 'DiscoveredIncidents');
    return opened;
  }

  /**
   * A security incident for agents: someone was refused a card key of this order again and
   * again. One open per order; a later alert for the same order joins it.
   */
  async openSecurityAlert(m: EntityManager, a: SecurityAlertRaisedV1, correlationId: string): Promise<boolean> {
    if (await this.incidents.findById(a.alertId, m)) return false;
    if (await this.incidents.findJoinable(a.orderNumber, 'SECURITY_ALERT', new Date(), { kind: 'system', accountId: null }, m)) return false;
    const now = new Date();
    const incident = newIncident(
      {
        id: a.alertId,
        ticketNumber: await this.incidents.nextTicketNumber(m, now),
        incidentType: 'SECURITY_ALERT',
        source: 'SECURITY',
        status: 'ESCALATED' as const,
        orderNumber: a.orderNumber,
        // Not a buyer's incident: nobody's account, no money of its own.
        accountId: 'security',
        phoneLast4Hash: null,
        amountMinor: '0',
        currency: 'XXX',
        paidAt: new Date(a.raisedAt),
        channel: 'n/a',
        paymentReference: null,
        urgent: true,
        description: a.detail,
        outcome: 'ESCALATED',
        reasonCode: a.kind,
        explanation: `${a.refusals} card-key reveals of order ${a.orderNumber} were refused within ${a.windowMinutes} minutes: someone may be trying to take this buyer's card key.`,
        decisionId: a.alertId,
        triagedAt: now,
        correlationId,
        priority: 'P1',
      },
      now,
    );
    const opened = await this.openEscalated(
      m,
      incident,
      'card-key reveal guard',
      'SECURITY_ALERT',
      { kind: a.kind, orderNumber: a.orderNumber, refusals: a.refusals, windowMinutes: a.windowMinutes },
      a.detail,
    );
    if (opened) {
      this.logger.warn({ msg: 'security incident opened', incidentId: incident.id, kind: a.kind, orderNumber: a.orderNumber }, 'DiscoveredIncidents');
    }
    return opened;
  }

  /** Opens an incident reconciliation decided already (escalated), with its audit entry; false when one is open. */
  private async openEscalated(
    m: EntityManager,
    incident: IncidentEntity,
    actorName: string,
    action: string,
    after: Record<string, unknown>,
    reason: string,
  ): Promise<boolean> {
    this.lifecycle.refreshDue(incident);
    if (!(await this.incidents.insertIfNoneOpen(m, incident))) return false;
    await this.audit.append(m, {
      incidentId: incident.id,
      actorType: 'SYSTEM',
      actorId: 'reconciliation',
      actorName,
      action,
      statusAfter: 'ESCALATED',
      after,
      reason,
      correlationId: incident.correlationId,
    });
    return true;
  }
}
