import { Injectable } from '@nestjs/common';
import { isUniqueViolation } from '@pt/database';
import { DataSource, type EntityManager } from 'typeorm';
import { IdempotencyKeyEntity } from './idempotency-key.entity.js';
import { IncidentEntity, OPEN_STATUSES } from './incident.entity.js';

export interface QueueFilter {
  statuses: string[];
  reasonCode?: string;
  priority?: string;
  channel?: string;
  merchantId?: string;
  assignee?: string | null;
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

/**
 * Whose open incident a new one may join. A buyer's report joins only an incident of the
 * same account that is as verified as it is (a verified buyer also joins the system's
 * incident for their account); the system's findings join only the system's incidents or
 * a verified buyer's. So a stranger's report never absorbs, and is never absorbed by,
 * the owner's.
 */
export type JoinScope = { kind: 'buyer'; accountId: string; verified: boolean } | { kind: 'system'; accountId: string | null };

/** Every query intake makes about incidents. */
@Injectable()
export class IncidentRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<IncidentEntity | null> {
    return manager.findOneBy(IncidentEntity, { id });
  }

  /**
   * The incident a new report for this order and type joins: one still open, or one
   * resolved automatically since `autoResolvedSince` (its answer still holds).
   */
  async findJoinable(
    orderNumber: string,
    incidentType: string,
    autoResolvedSince: Date,
    scope: JoinScope,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<IncidentEntity | null> {
    const q = manager
      .createQueryBuilder(IncidentEntity, 'i')
      .where('i.order_number = :orderNumber AND i.incident_type = :incidentType', { orderNumber, incidentType })
      .andWhere("(i.status IN (:...open) OR (i.status = 'AUTO_RESOLVED' AND i.triaged_at >= :since))", { open: OPEN_STATUSES, since: autoResolvedSince });
    if (scope.kind === 'buyer') {
      q.andWhere('i.account_id = :accountId', { accountId: scope.accountId });
      if (scope.verified) q.andWhere("(i.buyer_verified OR i.source <> 'BUYER')");
      else q.andWhere("i.source = 'BUYER' AND NOT i.buyer_verified");
    } else if (scope.accountId === null) {
      q.andWhere("i.source <> 'BUYER'");
    } else {
      q.andWhere("(i.source <> 'BUYER' OR (i.buyer_verified AND i.account_id = :accountId))", { accountId: scope.accountId });
    }
    return q.orderBy('i.created_at', 'DESC').getOne();
  }

  async nextTicketNumber(manager: EntityManager, now: Date): Promise<string> {
    const [row]: { n: string }[] = await manager.query(`SELECT nextval('intake.ticket_seq')::text AS n`);
    const day = now.toISOString().slice(0, 10).replaceAll('-', '');
    return `PT-${day}-${row.n.padStart(6, '0')}`;
  }

  /**
   * Inserts the incident inside a savepoint. Returns false when another open incident
   * for the same order and type won the race (the partial unique index said so).
   */
  async insertIfNoneOpen(manager: EntityManager, incident: IncidentEntity): Promise<boolean> {
    await manager.query('SAVEPOINT insert_incident');
    try {
      await manager.insert(IncidentEntity, incident);
      await manager.query('RELEASE SAVEPOINT insert_incident');
      return true;
    } catch (error) {
      await manager.query('ROLLBACK TO SAVEPOINT insert_incident');
      if (isUniqueViolation(error, 'incidents_one_open_buyer_report') || isUniqueViolation(error, 'incidents_one_open_system')) return false;
      throw error;
    }
  }

  /** A ticket of this account, by its number; null for a ticket of anybody else. */
  findTicketOf(ticketNumber: string, accountId: string): Promise<IncidentEntity | null> {
    return this.dataSource.manager
      .createQueryBuilder(IncidentEntity, 'i')
      .where('i.ticket_number = :ticketNumber AND i.account_id = :accountId', { ticketNumber, accountId })
      .andWhere("i.source IN ('BUYER', 'RECONCILIATION')")
      .andWhere("i.incident_type IN ('PAID_NOT_CREDITED', 'CARD_KEY_INVALID')")
      .getOne();
  }

  /** Claims an idempotency key; waits for a concurrent holder of the same key to finish. */
  async claimIdempotencyKey(manager: EntityManager, key: string, requestHash: string): Promise<IdempotencyKeyEntity | null> {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO intake.idempotency_keys (key, request_hash) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING key`,
      [key, requestHash],
    );
    if (inserted.length > 0) return null;
    return manager.findOneByOrFail(IdempotencyKeyEntity, { key });
  }

  async storeIdempotentResponse(manager: EntityManager, key: string, statusCode: number, body: Record<string, unknown>): Promise<void> {
    await manager.update(IdempotencyKeyEntity, { key }, { statusCode, responseBody: body as never });
  }

  /** The incident, locked until the transaction ends. */
  lockById(manager: EntityManager, id: string): Promise<IncidentEntity | null> {
    return manager.createQueryBuilder(IncidentEntity, 'i').setLock('pessimistic_write').where('i.id = :id', { id }).getOne();
  }

  async save(manager: EntityManager, incident: IncidentEntity): Promise<void> {
    await manager.save(IncidentEntity, incident);
  }

  /** The agents' queue: filtered, soonest SLA due time first. */
  async queue(filter: QueueFilter): Promise<{ items: IncidentEntity[]; total: number }> {
    const q = this.dataSource.manager.createQueryBuilder(IncidentEntity, 'i').where('i.status IN (:...statuses)', { statuses: filter.statuses });
    if (filter.reasonCode) q.andWhere('i.reason_code = :reasonCode', { reasonCode: filter.reasonCode });
    if (filter.priority) q.andWhere('i.priority = :priority', { priority: filter.priority });
    if (filter.channel) q.andWhere('i.channel = :channel', { channel: filter.channel });
    if (filter.merchantId) q.andWhere('i.merchant_id = :merchantId', { merchantId: filter.merchantId });
    if (filter.assignee === null) q.andWhere('i.assignee_id IS NULL');
    else if (filter.assignee) q.andWhere('i.assignee_id = :assignee', { assignee: filter.assignee });
    if (filter.from) q.andWhere('i.created_at >= :from', { from: filter.from });
    if (filter.to) q.andWhere('i.created_at < :to', { to: filter.to });
    const total = await q.getCount();
    const items = await q
      .orderBy(
        'LEAST(COALESCE(CASE WHEN i.first_responded_at IS NULL THEN i.first_response_due_at END, i.resolution_due_at), i.resolution_due_at)',
        'ASC',
        'NULLS LAST',
      )
      .addOrderBy('i.created_at', 'ASC')
      .offset(filter.offset)
      .limit(filter.limit)
      .getMany();
    return { items, total };
  }

  /** Incidents still waiting for triage (RECEIVED or TRIAGING) unchanged since `before`, locked; rows another replica holds are skipped. */
  async stalledBefore(manager: EntityManager, before: Date, limit: number): Promise<IncidentEntity[]> {
    return manager
      .createQueryBuilder(IncidentEntity, 'i')
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .where('i.status IN (:...waiting)', { waiting: ['RECEIVED', 'TRIAGING'] })
      .andWhere('i.updated_at <= :before', { before })
      .orderBy('i.updated_at', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** Open incidents whose SLA target passed without being marked breached yet. */
  async dueForBreach(manager: EntityManager, now: Date, limit: number): Promise<IncidentEntity[]> {
    return manager
      .createQueryBuilder(IncidentEntity, 'i')
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .where('i.status IN (:...open)', { open: ['RECEIVED', 'TRIAGING', 'ESCALATED', 'IN_PROGRESS'] })
      .andWhere('i.sla_paused_since IS NULL')
      .andWhere(
        '((i.sla_breached_first_response = false AND i.first_responded_at IS NULL AND i.first_response_due_at <= :now) OR (i.sla_breached_resolution = false AND i.resolution_due_at <= :now))',
        { now },
      )
      .limit(limit)
      .getMany();
  }
}
