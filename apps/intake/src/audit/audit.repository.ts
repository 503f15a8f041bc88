import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface AuditEntry {
  incidentId: string;
  actorType: 'AGENT' | 'SYSTEM' | 'BUYER';
  actorId: string;
  actorName?: string | null;
  action: string;
  statusBefore?: string | null;
  statusAfter?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  reason?: string | null;
  correlationId?: string | null;
}

export interface AuditRow extends Required<Omit<AuditEntry, 'before' | 'after'>> {
  id: string;
  at: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** The append-only trail of everything done to incidents (the table refuses UPDATE and DELETE). */
@Injectable()
export class AuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  async append(m: EntityManager, e: AuditEntry): Promise<void> {
    await m.query(
      `INSERT INTO intake.audit_log (incident_id, actor_type, actor_id, actor_name, action, status_before, status_after, before, after, reason, correlation_id)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
      [
        e.incidentId,
        e.actorType,
        e.actorId,
        e.actorName ?? null,
        e.action,
        e.statusBefore ?? null,
        e.statusAfter ?? null,
        e.before ? JSON.stringify(e.before) : null,
        e.after ? JSON.stringify(e.after) : null,
        e.reason ?? null,
        e.correlationId ?? null,
      ],
    );
  }

  async timeline(incidentId: string): Promise<AuditRow[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(`SELECT * FROM intake.audit_log WHERE incident_id = $1 ORDER BY id`, [incidentId]);
    return rows.map((r) => ({
      id: String(r.id),
      at: new Date(r.at as Date).toISOString(),
      incidentId: r.incident_id as string,
      actorType: r.actor_type as AuditRow['actorType'],
      actorId: r.actor_id as string,
      actorName: (r.actor_name as string | null) ?? null,
      action: r.action as string,
      statusBefore: (r.status_before as string | null) ?? null,
      statusAfter: (r.status_after as string | null) ?? null,
      before: (r.before as Record<string, unknown> | null) ?? null,
      after: (r.after as Record<string, unknown> | null) ?? null,
      reason: (r.reason as string | null) ?? null,
      correlationId: (r.correlation_id as string | null) ?? null,
    }));
  }
}
