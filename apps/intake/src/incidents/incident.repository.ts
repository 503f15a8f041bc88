import { Injectable } from '@nestjs/common';
import { isUniqueViolation } from '@pt/database';
import { DataSource, type EntityManager } from 'typeorm';
import { IdempotencyKeyEntity } from './idempotency-key.entity.js';
import { IncidentEntity, OPEN_STATUSES, type IncidentStatus } from './incident.entity.js';

export interface TriageResult {
  incidentId: string;
  outcome: IncidentStatus;
  reasonCode: string;
  explanation: string;
  decisionId: string;
  cardKeyId: string | null;
  decidedAt: Date;
}

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
    manager: EntityManager = this.dataSource.manager,
  ): Promise<IncidentEntity | null> {
    return manager
      .createQueryBuilder(IncidentEntity, 'i')
      .where('i.order_number = :orderNumber AND i.incident_type = :incidentType', { orderNumber, incidentType })
      .andWhere("(i.status IN (:...open) OR (i.status = 'AUTO_RESOLVED' AND i.triaged_at >= :since))", { open: OPEN_STATUSES, since: autoResolvedSince })
      .orderBy('i.created_at', 'DESC')
      .getOne();
  }

  async nextTicketNumber(manager: EntityManager, now: Date): Promise<string> {
    const [row]: { n: string }[] = await manager.query(`SELECT nextval('intake.ticket_seq')::text AS n`);
    const day = now.toISOString().slice(0, 10).replaceAll('-', '');
    return `PT-${day}-${row!.n.padStart(6, '0')}`;
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
      if (isUniqueViolation(error, 'incidents_one_open_per_order_type')) return false;
      throw error;
    }
  }

  /** Applies a triage decision unless a newer one was already applied. */
  async applyTriage(manager: EntityManager, result: TriageResult): Promise<boolean> {
    const updated = await manager
      .createQueryBuilder()
      .update(IncidentEntity)
      .set({
        status: result.outcome,
        outcome: result.outcome,
        reasonCode: result.reasonCode,
        explanation: result.explanation,
        decisionId: result.decisionId,
        cardKeyId: result.cardKeyId,
        triagedAt: result.decidedAt,
      })
      .where('id = :id', { id: result.incidentId })
      .andWhere('(triaged_at IS NULL OR triaged_at <= :decidedAt)', { decidedAt: result.decidedAt })
      .andWhere('status IN (:...triageable)', { triageable: ['RECEIVED', 'TRIAGING', 'AWAITING_CLEARING'] })
      .execute();
    return (updated.affected ?? 0) > 0;
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
}
