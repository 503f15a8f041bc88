import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ClearingFacts } from './clearing.facts.js';
import { ClearingRepository, type StatementStatus } from './clearing.repository.js';

export type { StatementStatus };

/** What other modules may read from, and write to, the clearing mirror. */
@Injectable()
export class ClearingService {
  constructor(private readonly clearing: ClearingRepository) {}

  recordsOf(m: EntityManager, orderNumber: string): Promise<ClearingFacts[]> {
    return this.clearing.recordsOf(m, orderNumber);
  }

  /** Feeds the statement's word on payments still clearing, in the caller's transaction; returns the orders whose state changed. */
  applyStatementStatuses(m: EntityManager, channel: string, rows: StatementStatus[]): Promise<string[]> {
    return this.clearing.applyStatementStatuses(m, channel, rows);
  }

  /** Channels with clearing records whose status changed in [from, to). */
  channelsWithRecords(from: Date, to: Date): Promise<string[]> {
    return this.clearing.channelsWithRecords(from, to);
  }
}
