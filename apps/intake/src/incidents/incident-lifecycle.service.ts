import { Injectable } from '@nestjs/common';
import { INCIDENT_ACTION_TYPES, type IncidentActionCompletedV1, type IncidentSlaBreachedV1, type IncidentTriagedV1 } from '@pt/contracts';
import { enqueueEvent } from '@pt/database';
import { JsonLogger } from '@pt/observability';
import type { EntityManager } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository.js';
import { isSuperseded } from './decision-order.js';
import { SlaService } from '../sla/sla.service.js';
import type { IncidentEntity } from './incident.entity.js';
import { IncidentRepository } from './incident.repository.js';

const TRIAGEABLE = new Set(['RECEIVED', 'TRIAGING', 'AWAITING_CLEARING']);

/** Escalated by intake because no decision came in time. */
const STALLED = 'TRIAGE_STALLED';
/** Escalations made without triage's table (no decision in time; a re-check of a report triage never got). */
const PROVISIONAL = new Set([STALLED, 'REPORT_NOT_RECEIVED']);
/** The card keys a decision issued: cardKeyIds, or for a decision published before lines its one cardKeyId. */
const issuedKeys = (d: IncidentTriagedV1): string[] => d.cardKeyIds ?? (d.cardKeyId ? [d.cardKeyId] : []);

/**
 * Adds card keys issued for the incident to those it already holds (a partial issuance
 * and the re-check that issues the rest each bring some); cardKeyId stays the first.
 */
function keepCardKeys(incident: IncidentEntity, issued: string[]): void {
  const held = incident.cardKeyIds ?? [];
  incident.cardKeyIds = [...held, ...issued.filter((id) => !held.includes(id))];
  incident.cardKeyId = incident.cardKeyIds[0] ?? null;
}

/** A real decision replaces a provisional escalation until a person takes the incident over. */
const isProvisionalEscalation = (incident: IncidentEntity) =>
  incident.status === 'ESCALATED' && PROVISIONAL.has(incident.reasonCode ?? '') && !incident.assigneeId && !incident.needsSupervisor;

/**
 * What happens to an incident without a person: triage decisions arrive, the SLA clock
 * pauses while clearing is awaited, targets are breached.
 */
@Injectable()
export class IncidentLifecycleService {
  constructor(
    private readonly incidents: IncidentRepository,
    private readonly audit: AuditRepository,
    private readonly sla: SlaService,
    private readonly logger: JsonLogger,
  ) {}

  /** Moves the SLA clock into or out of its pause, in business minutes. */
  setPaused(incident: IncidentEntity, paused: boolean, now: Date): void {
    if (paused && !incident.slaPausedSince) incident.slaPausedSince = now;
    if (!paused && incident.slaPausedSince) {
      incident.slaPausedMinutes += this.sla.pausedMinutes(incident.slaPausedSince, now);
      incident.slaPausedSince = null;
    }
    this.refreshDue(incident);
  }

  refreshDue(incident: IncidentEntity): void {
    const due = this.sla.due(incident.createdAt, incident.priority, incident.slaPausedMinutes);
    incident.firstResponseDueAt = due.firstResponseDueAt;
    incident.resolutionDueAt = due.resolutionDueAt;
  }

  /**
   * Applies a triage decision unless a newer one was applied or a person already took over.
   * "Newer" is by reconciliation's per-incident sequence number, by decision time for an
   * event without one (see isSuperseded).
   */
  async applyDecision(m: EntityManager, d: IncidentTriagedV1, correlationId: string): Promise<boolean> {
    const incident = await this.incidents.lockById(m, d.incidentId);
    const decidedAt = new Date(d.decidedAt);
    const superseded = incident !== null && isSuperseded(incident, d);
    if (!incident || !(TRIAGEABLE.has(incident.status) || isProvisionalEscalation(incident)) || superseded) {
      if (incident && PROVISIONAL.has(incident.reasonCode ?? '') && !superseded) {
        await this.recordLateDecision(m, incident, d, correlationId);
      }
      this.logger.warn(
        { msg: 'triage decision not applied (unknown incident, newer decision, or already worked by an agent)', incidentId: d.incidentId },
        'IncidentLifecycle',
      );
      return false;
    }
    const before = incident.status;
    incident.status = d.outcome;
    incident.outcome = d.outcome;
    incident.reasonCode = d.reasonCode;
    incident.explanation = d.explanation;
    incident.decisionId = d.decisionId;
    keepCardKeys(incident, issuedKeys(d));
    incident.triagedAt = decidedAt;
    // An event without a number keeps the last number applied, so a numbered one still has to beat it.
    if (d.sequence !== undefined) incident.decisionSequence = d.sequence;
    incident.merchantId = d.merchantId ?? incident.merchantId;
    incident.priority = this.sla.priority(incident.urgent, incident.amountMinor, incident.currency, d.reasonCode);
    const now = new Date();
    this.setPaused(incident, d.outcome === 'AWAITING_CLEARING', now);
    if (d.outcome === 'AUTO_RESOLVED') incident.resolvedAt = now;
    await this.incidents.save(m, incident);
    await this.audit.append(m, {
      incidentId: incident.id,
      actorType: 'SYSTEM',
      actorId: 'reconciliation',
      actorName: 'triage',
      action: 'TRIAGED',
      statusBefore: before,
      statusAfter: incident.status,
      after: {
        reasonCode: d.reasonCode,
        decisionId: d.decisionId,
        ruleVersion: d.ruleVersion,
        cardKeyId: d.cardKeyId ?? null,
        cardKeyIds: issuedKeys(d),
        priority: incident.priority,
      },
      reason: d.explanation,
      correlationId,
    });
    return true;
  }

  /**
   * A decision that arrived after a provisional escalation (stalled, or report not
   * received) once a person took the incident over: not applied (the agent owns it now),
   * but written to the timeline, and a card key triage issued is kept on the incident,
   * so the agent sees what triage did.
   */
  private async recordLateDecision(m: EntityManager, incident: IncidentEntity, d: IncidentTriagedV1, correlationId: string): Promise<void> {
    if (d.cardKeyId) {
      keepCardKeys(incident, issuedKeys(d));
      await this.incidents.save(m, incident);
    }
    await this.audit.append(m, {
      incidentId: incident.id,
      actorType: 'SYSTEM',
      actorId: 'reconciliation',
      actorName: 'triage',
      action: 'TRIAGED_LATE',
      statusBefore: incident.status,
      statusAfter: incident.status,
      after: {
        outcome: d.outcome,
        reasonCode: d.reasonCode,
        decisionId: d.decisionId,
        ruleVersion: d.ruleVersion,
        cardKeyId: d.cardKeyId ?? null,
        cardKeyIds: issuedKeys(d),
      },
      reason: d.explanation,
      correlationId,
    });
  }

  /**
   * Escalates to people the incidents still RECEIVED or TRIAGING `stuckAfterMinutes` after
   * their last change (no decision arrived: reconciliation down, the event lost or
   * dead-lettered). Rows are claimed with SKIP LOCKED, so replicas never escalate the same
   * one twice. The last decision, if any, stays as it was (decision id, triage time), so
   * a real decision arriving later replaces this escalation (see applyDecision).
   */
  async escalateStalled(m: EntityManager, now: Date, stuckAfterMinutes: number): Promise<number> {
    const stalled = await this.incidents.stalledBefore(m, new Date(now.getTime() - stuckAfterMinutes * 60_000), 100);
    for (const incident of stalled) {
      const before = incident.status;
      const waitedMinutes = Math.round((now.getTime() - incident.updatedAt.getTime()) / 60_000);
      const what = before === 'TRIAGING' ? 'the re-check an agent requested' : 'the report';
      const previous = incident.reasonCode ? ` The last decision before it was ${incident.reasonCode}.` : ' No decision was ever made on it.';
      incident.status = 'ESCALATED';
      incident.outcome = 'ESCALATED';
      incident.reasonCode = STALLED;
      incident.explanation =
        `No triage decision arrived for ${what} within ${stuckAfterMinutes} minutes (waited ${waitedMinutes}; status was ${before}): ` +
        `reconciliation may be down or behind, or the event never reached it.${previous} Decide it, or request a re-check; ` +
        'a decision from triage arriving before anyone takes it over replaces this escalation.';
      incident.priority = this.sla.priority(incident.urgent, incident.amountMinor, incident.currency, STALLED);
      this.setPaused(incident, false, now);
      await this.incidents.save(m, incident);
      await this.audit.append(m, {
        incidentId: incident.id,
        actorType: 'SYSTEM',
        actorId: 'intake',
        actorName: 'stall sweeper',
        action: 'TRIAGE_STALLED',
        statusBefore: before,
        statusAfter: incident.status,
        after: { reasonCode: STALLED, priority: incident.priority, waitedMinutes },
        reason: incident.explanation,
        correlationId: incident.correlationId,
      });
    }
    return stalled.length;
  }

  /** Records in the timeline what reconciliation did with an agent's request. */
  async applyActionResult(m: EntityManager, r: IncidentActionCompletedV1, correlationId: string): Promise<void> {
    const incident = await this.incidents.lockById(m, r.incidentId);
    if (!incident) return;
    if (r.result === 'ISSUED' && r.cardKeyId) {
      keepCardKeys(incident, [r.cardKeyId]);
      await this.incidents.save(m, incident);
    }
    await this.audit.append(m, {
      incidentId: r.incidentId,
      actorType: 'SYSTEM',
      actorId: 'reconciliation',
      action: `${r.action}_${r.result}`,
      statusBefore: incident.status,
      statusAfter: incident.status,
      after: { result: r.result, cardKeyId: r.cardKeyId ?? null },
      reason: r.detail,
      correlationId,
    });
  }

  /** Marks every due breach once and publishes it. Returns how many were found. */
  async markBreaches(m: EntityManager, now: Date): Promise<number> {
    const due = await this.incidents.dueForBreach(m, now, 100);
    for (const incident of due) {
      const targets: ('FIRST_RESPONSE' | 'RESOLUTION')[] = [];
      if (!incident.slaBreachedFirstResponse && !incident.firstRespondedAt && incident.firstResponseDueAt && incident.firstResponseDueAt <= now) {
        incident.slaBreachedFirstResponse = true;
        targets.push('FIRST_RESPONSE');
      }
      if (!incident.slaBreachedResolution && incident.resolutionDueAt && incident.resolutionDueAt <= now) {
        incident.slaBreachedResolution = true;
        targets.push('RESOLUTION');
      }
      await this.incidents.save(m, incident);
      for (const target of targets) {
        const event: IncidentSlaBreachedV1 = {
          incidentId: incident.id,
          ticketNumber: incident.ticketNumber,
          orderNumber: incident.orderNumber,
          target,
          priority: incident.priority,
          dueAt: (target === 'FIRST_RESPONSE' ? incident.firstResponseDueAt! : incident.resolutionDueAt!).toISOString(),
          breachedAt: now.toISOString(),
        };
        await enqueueEvent(m, INCIDENT_ACTION_TYPES.slaBreached, incident.orderNumber, event, incident.correlationId);
        await this.audit.append(m, {
          incidentId: incident.id,
          actorType: 'SYSTEM',
          actorId: 'sla',
          action: 'SLA_BREACHED',
          statusBefore: incident.status,
          statusAfter: incident.status,
          after: { target, dueAt: event.dueAt },
          reason: `${target === 'FIRST_RESPONSE' ? 'first response' : 'resolution'} target of ${incident.priority} missed`,
        });
      }
    }
    return due.length;
  }
}
