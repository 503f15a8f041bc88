import { HttpStatus, Injectable } from '@nestjs/common';
import { INCIDENT_ACTION_TYPES, parseInstant, type IncidentForceReissueRequestedV1, type IncidentRecheckRequestedV1 } from '@pt/contracts';
import { enqueueEvent, isUniqueViolation } from '@pt/database';
import { currentCorrelationId } from '@pt/observability';
import { ApiError, OutboxPublisher, type AgentClaims } from '@pt/platform';
import type { EntityManager } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository.js';
import { IncidentLifecycleService } from '../incidents/incident-lifecycle.service.js';
import type { IncidentEntity, IncidentStatus } from '../incidents/incident.entity.js';
import { IncidentRepository } from '../incidents/incident.repository.js';
import { toIncidentView, type IncidentView } from '../incidents/incident.view.js';
import { SlaService } from '../sla/sla.service.js';
import type { QueueQueryDto } from './dto/queue-query.dto.js';

interface ActionSpec {
  action: string;
  /** Statuses the action may start from. */
  from: IncidentStatus[] | 'any';
  /** Whether the agent must hold the incident (a supervisor always may act). */
  mustHold?: boolean;
  reason?: string | null;
  apply: (incident: IncidentEntity, m: EntityManager) => Promise<void> | void;
}

const WORKABLE: IncidentStatus[] = ['ESCALATED', 'IN_PROGRESS'];

/** What support agents do to incidents; every action lands in the audit trail with its reason. */
@Injectable()
export class IncidentWorkService {
  constructor(
    private readonly incidents: IncidentRepository,
    private readonly audit: AuditRepository,
    private readonly lifecycle: IncidentLifecycleService,
    private readonly sla: SlaService,
    private readonly outbox: OutboxPublisher,
  ) {}

  async queue(query: QueueQueryDto, agent: AgentClaims) {
    const statuses = query.status ? query.status.split(',') : WORKABLE;
    const assignee = query.assignee === 'me' ? agent.sub : query.assignee === 'none' ? null : query.assignee;
    const limit = query.limit ?? 50;
    const offset = query.offset ?? 0;
    const { items, total } = await this.incidents.queue({
      statuses,
      reasonCode: query.reasonCode,
      priority: query.priority,
      channel: query.channel,
      merchantId: query.merchantId,
      assignee,
      from: query.from ? parseInstant(query.from) : undefined,
      to: query.to ? parseInstant(query.to) : undefined,
      limit,
      offset,
    });
    const now = new Date();
    return {
      total,
      limit,
      offset,
      items: items.map((incident) => ({ ...toIncidentView(incident), timeLeft: this.timeLeft(incident, now) })),
    };
  }

  /** The next SLA target and the business minutes left to it (negative once missed). */
  timeLeft(incident: IncidentEntity, now: Date): { target: 'FIRST_RESPONSE' | 'RESOLUTION'; dueAt: string; businessMinutes: number; paused: boolean } | null {
    if (!incident.resolutionDueAt || ['RESOLVED', 'REJECTED', 'AUTO_RESOLVED'].includes(incident.status)) return null;
    const firstPending = !incident.firstRespondedAt && incident.firstResponseDueAt;
    const target = firstPending ? 'FIRST_RESPONSE' : 'RESOLUTION';
    const due = firstPending ? incident.firstResponseDueAt! : incident.resolutionDueAt;
    return {
      target,
      dueAt: due.toISOString(),
      businessMinutes: Math.round(this.sla.minutesLeft(now, due) * 10) / 10,
      paused: incident.slaPausedSince !== null,
    };
  }

  async get(id: string): Promise<IncidentView & { timeLeft: ReturnType<IncidentWorkService['timeLeft']> }> {
    const incident = await this.incidents.findById(id);
    if (!incident) throw ApiError.notFound(`incident ${id}`);
    return { ...toIncidentView(incident), timeLeft: this.timeLeft(incident, new Date()) };
  }

  claim(id: string, agent: AgentClaims): Promise<IncidentView> {
    return this.act(id, agent, {
      action: 'CLAIM',
      from: WORKABLE,
      apply: (incident) => {
        // A supervisor may take over; an agent may not take an incident from another.
        if (incident.assigneeId && incident.assigneeId !== agent.sub && agent.role !== 'supervisor') {
          throw new ApiError(HttpStatus.CONFLICT, 'ALREADY_CLAIMED', 'another agent has already claimed this incident');
        }
        incident.assigneeId = agent.sub;
        incident.status = 'IN_PROGRESS';
        if (agent.role === 'supervisor') incident.needsSupervisor = false;
      },
    });
  }

  resolve(id: string, agent: AgentClaims, resolutionCode: string, note: string): Promise<IncidentView> {
    return this.act(id, agent, {
      action: 'RESOLVE',
      from: ['IN_PROGRESS'],
      mustHold: true,
      reason: note,
      apply: (incident) => {
        incident.status = 'RESOLVED';
        incident.resolutionCode = resolutionCode;
        incident.resolvedAt = new Date();
      },
    });
  }

  reject(id: string, agent: AgentClaims, reason: string): Promise<IncidentView> {
    return this.act(id, agent, {
      action: 'REJECT',
      from: ['IN_PROGRESS'],
      mustHold: true,
      reason,
      apply: (incident) => {
        incident.status = 'REJECTED';
        incident.resolvedAt = new Date();
      },
    });
  }

  escalateToSupervisor(id: string, agent: AgentClaims, reason: string): Promise<IncidentView> {
    return this.act(id, agent, {
      action: 'ESCALATE_TO_SUPERVISOR',
      from: WORKABLE,
      reason,
      apply: (incident) => {
        if (incident.assigneeId && incident.assigneeId !== agent.sub && agent.role !== 'supervisor') {
          throw new ApiError(HttpStatus.CONFLICT, 'NOT_CLAIMED_BY_YOU', 'another agent holds this incident');
        }
        incident.needsSupervisor = true;
        incident.assigneeId = null;
        incident.status = 'ESCALATED';
      },
    });
  }

  requestRecheck(id: string, agent: AgentClaims, reason: string | undefined): Promise<IncidentView> {
    return this.act(id, agent, {
      action: 'REQUEST_RECHECK',
      from: WORKABLE,
      reason: reason ?? null,
      apply: async (incident, m) => {
        incident.status = 'TRIAGING';
        const event: IncidentRecheckRequestedV1 = {
          incidentId: incident.id,
          orderNumber: incident.orderNumber,
          requestedBy: agent.sub,
          ...(reason ? { reason } : {}),
          requestedAt: new Date().toISOString(),
        };
        await enqueueEvent(m, INCIDENT_ACTION_TYPES.recheckRequested, incident.orderNumber, event, currentCorrelationId() ?? incident.correlationId);
      },
    });
  }

  reopen(id: string, agent: AgentClaims, reason: string): Promise<IncidentView> {
    return this.act(id, agent, {
      action: 'REOPEN',
      from: ['RESOLVED', 'REJECTED', 'AUTO_RESOLVED'],
      reason,
      apply: (incident) => {
        incident.status = 'IN_PROGRESS';
        incident.assigneeId = agent.sub;
        incident.resolvedAt = null;
        incident.resolutionCode = null;
      },
    });
  }

  addNote(id: string, agent: AgentClaims, note: string): Promise<IncidentView> {
    return this.act(id, agent, { action: 'NOTE', from: 'any', reason: note, apply: () => undefined });
  }

  forceReissue(id: string, agent: AgentClaims, reason: string): Promise<IncidentView> {
    return this.act(id, agent, {
      action: 'FORCE_REISSUE_REQUESTED',
      from: WORKABLE,
      reason,
      apply: async (incident, m) => {
        const event: IncidentForceReissueRequestedV1 = {
          incidentId: incident.id,
          orderNumber: incident.orderNumber,
          requestedBy: agent.sub,
          reason,
          requestedAt: new Date().toISOString(),
        };
        await enqueueEvent(m, INCIDENT_ACTION_TYPES.forceReissueRequested, incident.orderNumber, event, currentCorrelationId() ?? incident.correlationId);
      },
    });
  }

  timeline(id: string) {
    return this.audit.timeline(id);
  }

  private async act(id: string, agent: AgentClaims, spec: ActionSpec): Promise<IncidentView> {
    const view = await this.incidents.transaction(async (m) => {
      const incident = await this.incidents.lockById(m, id);
      if (!incident) throw ApiError.notFound(`incident ${id}`);
      const before = {
        status: incident.status,
        assigneeId: incident.assigneeId,
        resolutionCode: incident.resolutionCode,
        needsSupervisor: incident.needsSupervisor,
      };
      if (spec.from !== 'any' && !spec.from.includes(incident.status)) {
        throw new ApiError(
          HttpStatus.CONFLICT,
          'INVALID_TRANSITION',
          `cannot ${spec.action.toLowerCase().replaceAll('_', ' ')} an incident that is ${incident.status}`,
        );
      }
      if (spec.mustHold && incident.assigneeId !== agent.sub && agent.role !== 'supervisor') {
        throw new ApiError(HttpStatus.CONFLICT, 'NOT_CLAIMED_BY_YOU', 'claim the incident before acting on it');
      }
      await spec.apply(incident, m);
      const now = new Date();
      incident.firstRespondedAt ??= now;
      this.lifecycle.setPaused(incident, incident.status === 'AWAITING_CLEARING', now);
      try {
        await this.incidents.save(m, incident);
      } catch (error) {
        if (isUniqueViolation(error, 'incidents_one_open_per_order_type')) {
          throw new ApiError(HttpStatus.CONFLICT, 'OPEN_INCIDENT_EXISTS', 'another open incident exists for this order and type; work that one instead');
        }
        throw error;
      }
      await this.audit.append(m, {
        incidentId: incident.id,
        actorType: 'AGENT',
        actorId: agent.sub,
        actorName: agent.username,
        action: spec.action,
        statusBefore: before.status,
        statusAfter: incident.status,
        before,
        after: { status: incident.status, assigneeId: incident.assigneeId, resolutionCode: incident.resolutionCode, needsSupervisor: incident.needsSupervisor },
        reason: spec.reason ?? null,
        correlationId: currentCorrelationId() ?? null,
      });
      return toIncidentView(incident);
    });
    this.outbox.nudge();
    return view;
  }
}
