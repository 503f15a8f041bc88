import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { INCIDENT_REPORTED_TYPE, hashPhoneLast4, type IncidentReportedV1 } from '@pt/contracts';
import { currentCorrelationId } from '@pt/observability';
import { PgRateLimiter, enqueueEvent } from '@pt/database';
import { ApiError, OutboxPublisher, SERVICE_CONFIG, type ChannelCaller, type VerifiedBuyer } from '@pt/platform';
import { AuditRepository } from '../audit/audit.repository.js';
import type { IntakeConfig } from '../config/intake.config.js';
import { SlaService } from '../sla/sla.service.js';
import { IncidentLifecycleService } from './incident-lifecycle.service.js';
import { createHash } from 'node:crypto';
import type { CreateIncidentDto } from './dto/create-incident.dto.js';
import { newIncident, type IncidentEntity } from './incident.entity.js';
import { IncidentRepository, type JoinScope } from './incident.repository.js';
import { toIncidentView, type IncidentView } from './incident.view.js';

export interface ReportOutcome {
  statusCode: HttpStatus.CREATED | HttpStatus.OK;
  body: Record<string, unknown>;
}

/** Who is reporting: the channel that calls, and the buyer its token vouches for, if any. */
export interface Reporter {
  channel: ChannelCaller;
  buyer: VerifiedBuyer | null;
}

/**
 * What a report is answered with: that report's own incident and nothing of anybody
 * else's. Its status and the ticket link only for a verified buyer; an unverified
 * caller learns the ticket number and no more.
 */
export interface ReportAnswer {
  id: string;
  ticketNumber: string;
  type: string;
  orderNumber: string;
  verified: boolean;
  existing: boolean;
  createdAt: string;
  status?: string;
  links: { self: string; ticket?: string };
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
    private readonly limiter: PgRateLimiter,
  ) {}

  /**
   * Files a report. A second report for the same order and type while one is open (or
   * was resolved automatically within INTAKE_REPORT_DEDUPE_HOURS) returns that incident; the same Idempotency-Key with the same body returns the
   * first response, with another body an error.
   */
  async report(dto: CreateIncidentDto, reporter: Reporter, idempotencyKey?: string): Promise<ReportOutcome> {
    const accountId = this.reportingAccount(dto, reporter.buyer);
    const verified = reporter.buyer !== null;
    const perOrder = await this.limiter.hit([
      { key: `report-order:${dto.orderNumber}`, limit: this.config.REPORT_LIMIT_PER_ORDER_PER_HOUR, windowSeconds: 3600 },
    ]);
    if (!perOrder.allowed) throw ApiError.rateLimited(perOrder.retryAfterSeconds, 'too many reports on this order number');
    const requestHash = createHash('sha256')
      .update(canonical({ ...dto, accountId, verified }))
      .digest('hex');
    // Keys are the calling channel's own: another channel's key never replays this answer.
    const scopedKey = idempotencyKey ? `${reporter.channel.clientId}:${idempotencyKey}` : undefined;
    const correlationId = currentCorrelationId() ?? crypto.randomUUID();
    const outcome = await this.incidents.transaction(async (manager) => {
      if (scopedKey) {
        const previous = await this.incidents.claimIdempotencyKey(manager, scopedKey, requestHash);
        if (previous) {
          if (previous.requestHash !== requestHash) {
            throw new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, 'IDEMPOTENCY_KEY_REUSED', 'Idempotency-Key was already used with a different request body');
          }
          return { statusCode: previous.statusCode as ReportOutcome['statusCode'], body: previous.responseBody!, created: false };
        }
      }
      const type = dto.type ?? 'PAID_NOT_CREDITED';
      const joinSince = new Date(Date.now() - this.config.INTAKE_REPORT_DEDUPE_HOURS * 3_600_000);
      const scope: JoinScope = { kind: 'buyer', accountId, verified };
      const existing = await this.incidents.findJoinable(dto.orderNumber, type, joinSince, scope, manager);
      let result: { statusCode: ReportOutcome['statusCode']; body: Record<string, unknown>; created: boolean };
      if (existing) {
        result = { statusCode: HttpStatus.OK, body: this.responseBody(existing, true), created: false };
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
            accountId,
            phoneLast4Hash: dto.phoneLast4 ? hashPhoneLast4(dto.phoneLast4) : null,
            amountMinor: dto.amountMinor,
            currency: dto.currency,
            paidAt: new Date(dto.paidAt),
            channel: dto.channel,
            paymentReference: dto.paymentReference ?? null,
            urgent: dto.urgent ?? false,
            description: dto.description ?? null,
            correlationId,
            priority: this.sla.priority(dto.urgent ?? false, dto.amountMinor, dto.currency, null),
          },
          now,
        );
        incident.buyerVerified = verified;
        incident.channelClientId = reporter.channel.clientId;
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
            actorName: verified ? `verified buyer via ${reporter.channel.clientName}` : `unverified caller via ${reporter.channel.clientName}`,
            action: 'REPORTED',
            statusAfter: 'RECEIVED',
            after: {
              type,
              orderNumber: incident.orderNumber,
              amountMinor: incident.amountMinor,
              currency: incident.currency,
              priority: incident.priority,
              verified,
              channelClientId: reporter.channel.clientId,
            },
            reason: incident.description,
            correlationId,
          });
          result = { statusCode: HttpStatus.CREATED, body: this.responseBody(incident, false), created: true };
        } else {
          const winner = await this.incidents.findJoinable(dto.orderNumber, type, joinSince, scope, manager);
          if (!winner) throw new Error('open incident vanished after a unique conflict');
          result = { statusCode: HttpStatus.OK, body: this.responseBody(winner, true), created: false };
        }
      }
      if (scopedKey) await this.incidents.storeIdempotentResponse(manager, scopedKey, result.statusCode, result.body);
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

  /** The account a report speaks for: the buyer token's subject, or the account the channel names. */
  private reportingAccount(dto: CreateIncidentDto, buyer: VerifiedBuyer | null): string {
    if (buyer) {
      if (dto.accountId !== undefined && dto.accountId !== buyer.accountId) {
        throw ApiError.validation([{ field: 'accountId', message: "must be the buyer token's account, or left out when a buyer token is sent" }]);
      }
      return buyer.accountId;
    }
    if (dto.accountId === undefined) throw ApiError.validation([{ field: 'accountId', message: 'is required when no buyer token is sent' }]);
    return dto.accountId;
  }

  private responseBody(incident: IncidentEntity, existing: boolean): Record<string, unknown> {
    const answer: ReportAnswer = {
      id: incident.id,
      ticketNumber: incident.ticketNumber,
      type: incident.incidentType,
      orderNumber: incident.orderNumber,
      verified: incident.buyerVerified,
      existing,
      createdAt: incident.createdAt.toISOString(),
      ...(incident.buyerVerified ? { status: incident.status } : {}),
      links: { self: `/v1/incidents/${incident.id}`, ...(incident.buyerVerified ? { ticket: `/v1/tickets/${incident.ticketNumber}` } : {}) },
    };
    return answer as unknown as Record<string, unknown>;
  }
}
