import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { INCIDENT_REPORTED_TYPE, hashPhoneLast4, type IncidentReportedV1 } from '@pt/contracts';
import { enqueueEvent } from '@pt/database';
import { currentCorrelationId } from '@pt/observability';
import { ApiError, OutboxPublisher, SERVICE_CONFIG } from '@pt/platform';
import { AuditRepository } from '../audit/audit.repository.js';
import type { IntakeConfig } from '../config/intake.config.js';
import { SlaService } from '../sla/sla.service.js';
import { IncidentLifecycleService } from './incident-lifecycle.service.js';
import { createHash } from 'node:crypto';
import type { CreateIncidentDto } from './dto/create-incident.dto.js';
import { newIncident } from './incident.entity.js';
import { IncidentRepository } from './incident.repository.js';
import { toIncidentView, type IncidentView } from './incident.view.js';

export interface ReportOutcome {
  statusCode: HttpStatus.CREATED | HttpStatus.OK;
  body: Record<string, unknown>;
}

/** Canonical JSON (sorted keys) so the same body always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

@Injectable()
export class IncidentsService {
  constructor(
    private readonly incidents: IncidentRepository,
    private readonly outbox: OutboxPublisher,
    @Inject(SERVICE_CONFIG) private readonly config: IntakeConfig,
    private readonly sla: SlaService,
    private readonly lifecycle: IncidentLifecycleService,
    private readonly audit: AuditRepository,
  ) {}

  /**
   * Files a report. A second report for the same order and type while one is open (or
   * was resolved automatically within INTAKE_REPORT_DEDUPE_HOURS) returns that incident; the same Idempotency-Key with the same body returns the
   * first response, with another body an error.
   */
  async report(dto: CreateIncidentDto, idempotencyKey?: string): Promise<ReportOutcome> {
    const requestHash = createHash('sha256').update(canonical(dto)).digest('hex');
    const correlationId = currentCorrelationId() ?? crypto.randomUUID();
    const outcome = await this.incidents.transaction(async (manager) => {
      if (idempotencyKey) {
        const previous = await this.incidents.claimIdempotencyKey(manager, idempotencyKey, requestHash);
        if (previous) {
          if (previous.requestHash !== requestHash) {
            throw new ApiError(
              HttpStatus.UNPROCESSABLE_ENTITY,
              'IDEMPOTENCY_KEY_REUSED',
              'Idempotency-Key was already used with a different request body',
            );
          }
          return { statusCode: previous.statusCode as ReportOutcome['statusCode'], body: previous.responseBody!, created: false };
        }
      }
      const type = dto.type ?? 'PAID_NOT_CREDITED';
      const joinSince = new Date(Date.now() - this.config.INTAKE_REPORT_DEDUPE_HOURS * 3_600_000);
      const existing = await this.incidents.findJoinable(dto.orderNumber, type, joinSince, manager);
      let result: { statusCode: ReportOutcome['statusCode']; body: Record<string, unknown>; created: boolean };
      if (existing) {
        result = { statusCode: HttpStatus.OK, body: this.responseBody(toIncidentView(existing), true), created: false };
      } else {
        const now = new Date();
        const incident = newIncident(
          {
            id: crypto.randomUUID(),
            ticketNumber: await this.incidents.nextTicketNumber(manager, now),
            incidentType: type,
            source: 'BUYER',
            status: 'RECEIVED' as const,
            orderNumber: dto.orderNumber,
            accountId: dto.accountId,
            phoneLast4Hash: dto.phoneLast4 ? hashPhoneLast4(dto.phoneLast4) : null,
            amountMinor: dto.amountMinor,
            currency: dto.currency,
            paidAt: new Date(dto.paidAt),
            channel: dto.channel,
            paymentReference: dto.paymentReference ?? null,
            urgent: dto.urgent ?? false,
            description: dto.description ?? null,
            correlationId,
            priority: this.sla.priority(dto.urgent ?? false, dto.amountMinor, null),
          },
          now,
        );
        this.lifecycle.refreshDue(incident);
        if (await this.incidents.insertIfNoneOpen(manager, incident)) {
          const event: IncidentReportedV1 = {
            incidentId: incident.id,
            ticketNumber: incident.ticketNumber,
            incidentType: type,
            source: 'BUYER',
            orderNumber: incident.orderNumber,
            accountId: incident.accountId,
            ...(incident.phoneLast4Hash ? { phoneLast4Hash: incident.phoneLast4Hash } : {}),
            amountMinor: incident.amountMinor,
            currency: incident.currency,
            paidAt: incident.paidAt.toISOString(),
            channel: incident.channel,
            ...(incident.paymentReference ? { paymentReference: incident.paymentReference } : {}),
            urgent: incident.urgent,
            reportedAt: now.toISOString(),
          };
          await enqueueEvent(manager, INCIDENT_REPORTED_TYPE, incident.orderNumber, event, correlationId);
          await this.audit.append(manager, {
            incidentId: incident.id,
            actorType: 'BUYER',
            actorId: incident.accountId,
            action: 'REPORTED',
            statusAfter: 'RECEIVED',
            after: { type, orderNumber: incident.orderNumber, amountMinor: incident.amountMinor, currency: incident.currency, priority: incident.priority },
            reason: incident.description,
            correlationId,
          });
          result = { statusCode: HttpStatus.CREATED, body: this.responseBody(toIncidentView(incident), false), created: true };
        } else {
          const winner = await this.incidents.findJoinable(dto.orderNumber, type, joinSince, manager);
          if (!winner) throw new Error('open incident vanished after a unique conflict');
          result = { statusCode: HttpStatus.OK, body: this.responseBody(toIncidentView(winner), true), created: false };
        }
      }
      if (idempotencyKey) await this.incidents.storeIdempotentResponse(manager, idempotencyKey, result.statusCode, result.body);
      return result;
    });
    if (outcome.created) this.outbox.nudge();
    return { statusCode: outcome.statusCode, body: outcome.body };
  }

  async get(id: string): Promise<IncidentView> {
    const incident = await this.incidents.findById(id);
    if (!incident) throw ApiError.notFound(`incident ${id}`);
    return toIncidentView(incident);
  }

  private responseBody(view: IncidentView, existing: boolean): Record<string, unknown> {
    return { ...view, existing, links: { self: `/v1/incidents/${view.id}` } } as unknown as Record<string, unknown>;
  }
}
