import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { INCIDENT_ACTION_TYPES, type FieldProblem, type IncidentActionCompletedV1 } from '@pt/contracts';
import { appendAdminAudit, enqueueEvent } from '@pt/database';
import { currentCorrelationId } from '@pt/observability';
import { ApiError, SERVICE_CONFIG } from '@pt/platform';
import type { ReconciliationConfig } from '../config/reconciliation.config.js';
import type { EntityManager } from 'typeorm';
import { LedgerService } from '../ledger/ledger.service.js';
import { CardKeyCipher, maskedHint } from './card-key.cipher.js';
import type { CardKeyRow } from './card-key-file.parser.js';
import { IncidentOrders } from './incident-orders.js';
import { VaultRepository, type NewCardKey, type SealedRow } from './vault.repository.js';

export interface ImportReport {
  imported: number;
  duplicatesInFile: { line: number; sku: string; firstSeenOnLine: number }[];
  duplicatesInStock: { line: number; sku: string }[];
}

export interface RevealedCardKey {
  cardKeyId: string;
  /** The order line (1..quantity) the key fills; null for a key of the order no delivery holds. */
  lineNo: number | null;
  sku: string;
  secret: string;
  status: string;
  issuedAt: string | null;
}

const SKU = /^[A-Za-z0-9._-]{1,64}$/;

/** Thrown when an import is refused; nothing of the file was imported. */
export class ImportRejectedError extends Error {
  constructor(readonly problems: FieldProblem[]) {
    super(`import rejected: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
    this.name = 'ImportRejectedError';
  }
}

/** The card-key vault: imports sealed secrets, re-seals them on rotation, reveals them to their owner. */
@Injectable()
export class VaultService {
  readonly cipher: CardKeyCipher;

  constructor(
    private readonly vault: VaultRepository,
    private readonly ledger: LedgerService,
    private readonly incidents: IncidentOrders,
    @Inject(SERVICE_CONFIG) private readonly config: ReconciliationConfig,
  ) {
    this.cipher = new CardKeyCipher(config.VAULT_KEY_ID, config.vaultKeys());
  }

  /**
   * Imports a file's rows all-or-nothing. A malformed row rejects the whole file naming
   * its line; duplicates (inside the file, or already in stock) are skipped and reported.
   */
  async import(rows: CardKeyRow[], actor: { type: 'ADMIN' | 'SYSTEM'; id: string }): Promise<ImportReport> {
    const problems: FieldProblem[] = [];
    for (const row of rows) {
      if (typeof row.sku !== 'string' || !SKU.test(row.sku)) problems.push({ field: `line ${row.line}: sku`, message: 'must be 1-64 letters, digits, . _ -' });
      if (typeof row.secret !== 'string' || row.secret.length < 4 || row.secret.length > 512) {
        problems.push({ field: `line ${row.line}: secret`, message: 'must be 4 to 512 characters' });
      }
      if (row.expiresAt != null && (typeof row.expiresAt !== 'string' || Number.isNaN(Date.parse(row.expiresAt)))) {
        problems.push({ field: `line ${row.line}: expiresAt`, message: 'must be an ISO 8601 timestamp' });
      }
    }
    if (rows.length === 0) problems.push({ field: 'file', message: 'contains no card keys' });
    if (problems.length > 0) throw new ImportRejectedError(problems);

    const firstLine = new Map<string, number>();
    const duplicatesInFile: ImportReport['duplicatesInFile'] = [];
    const candidates: { line: number; key: NewCardKey }[] = [];
    for (const row of rows as { line: number; sku: string; secret: string; expiresAt?: string }[]) {
      const fingerprint = this.cipher.fingerprint(row.sku, row.secret);
      const seen = firstLine.get(fingerprint);
      if (seen !== undefined) {
        duplicatesInFile.push({ line: row.line, sku: row.sku, firstSeenOnLine: seen });
        continue;
      }
      firstLine.set(fingerprint, row.line);
      const id = crypto.randomUUID();
      candidates.push({
        line: row.line,
        key: {
          id,
          sku: row.sku,
          sealed: this.cipher.seal(row.secret, id),
          fingerprint,
          hint: maskedHint(row.secret),
          expiresAt: row.expiresAt ? new Date(row.expiresAt).toISOString() : null,
        },
      });
    }
    return this.vault.transaction(async (m) => {
      const existing = await this.vault.existingFingerprints(
        m,
        candidates.map((c) => c.key.fingerprint),
      );
      const duplicatesInStock = candidates.filter((c) => existing.has(c.key.fingerprint)).map((c) => ({ line: c.line, sku: c.key.sku }));
      const fresh = candidates.filter((c) => !existing.has(c.key.fingerprint)).map((c) => c.key);
      await this.vault.insertMany(m, fresh);
      const bySku: Record<string, number> = {};
      for (const key of fresh) bySku[key.sku] = (bySku[key.sku] ?? 0) + 1;
      const after = { imported: fresh.length, bySku, duplicatesInFile: duplicatesInFile.length, duplicatesInStock: duplicatesInStock.length };
      await this.vault.audit(m, {
        actorType: actor.type,
        actorId: actor.id,
        action: 'IMPORT_CARD_KEYS',
        subject: 'vault',
        after,
        reason: null,
        correlationId: currentCorrelationId() ?? null,
      });
      if (actor.type === 'ADMIN') {
        await appendAdminAudit(m, 'reconciliation', {
          operator: actor.id,
          action: 'IMPORT_CARD_KEYS',
          subject: 'vault',
          details: after,
          correlationId: currentCorrelationId(),
        });
      }
      return { imported: fresh.length, duplicatesInFile, duplicatesInStock };
    });
  }

  /**
   * Re-seals every secret not sealed with the active key, a batch per transaction.
   * Safe to run while the service runs, and to re-run after an interruption.
   */
  async rotate(onProgress: (done: number, remaining: number) => void = () => undefined): Promise<number> {
    let done = 0;
    for (;;) {
      const batch = await this.vault.transaction(async (m) => {
        const rows = await this.vault.sealedNotUnder(m, this.config.VAULT_KEY_ID, 200);
        for (const row of rows) {
          const secret = this.cipher.open(row.sealed, row.id);
          await this.vault.reseal(m, row.id, this.cipher.seal(secret, row.id), this.cipher.fingerprint(row.sku, secret));
        }
        return rows.length;
      });
      done += batch;
      onProgress(done, await this.vault.countNotUnder(this.config.VAULT_KEY_ID));
      if (batch === 0) return done;
    }
  }

  /**
   * The card keys issued or delivered from the vault for an order, opened, when
   * `accountId` (vouched for by a buyer token) is the order's account. Every reveal is
   * written to the audit log in the same transaction, with the channel that asked.
   */
  async revealForOwner(
    orderNumber: string,
    accountId: string,
    channel: { clientId: string; clientName: string },
  ): Promise<{ kind: 'REVEALED'; keys: RevealedCardKey[] } | { kind: 'NOT_THE_BUYER' | 'NO_CARD_KEY' }> {
    return this.vault.transaction(async (m) => {
      const owner = await this.ledger.accountOf(m, orderNumber);
      if (owner !== accountId) return { kind: 'NOT_THE_BUYER' as const };
      const keys = await this.keysOfOrder(m, orderNumber);
      if (keys.length === 0) return { kind: 'NO_CARD_KEY' as const };
      const revealed = keys.map((k) => this.open(k));
      for (const key of keys) {
        await this.vault.audit(m, {
          actorType: 'BUYER',
          actorId: accountId,
          action: 'REVEAL_CARD_KEY',
          subject: `card-key:${key.id}`,
          after: { orderNumber, cardKeyId: key.id, hint: key.hint, channelClientId: channel.clientId, channelClient: channel.clientName },
          reason: 'revealed to the order owner',
          correlationId: currentCorrelationId() ?? null,
        });
      }
      return { kind: 'REVEALED' as const, keys: revealed };
    });
  }

  /**
   * The card keys of an order, opened for a supervisor who reads them to the buyer.
   * Audited here and announced to intake, so the incident's timeline shows it.
   */
  async revealForAgent(orderNumber: string, incidentId: string, agent: { sub: string; username: string }, reason: string): Promise<RevealedCardKey[]> {
    return this.vault.transaction(async (m) => {
      const incidentOrder = await this.incidents.orderOf(m, incidentId);
      const keys = incidentOrder === orderNumber ? await this.keysOfOrder(m, orderNumber) : [];
      if (keys.length === 0) throw new ApiError(HttpStatus.NOT_FOUND, 'NOT_FOUND', 'no card key was found for this incident and order');
      const correlationId = currentCorrelationId() ?? crypto.randomUUID();
      for (const key of keys) {
        await this.vault.audit(m, {
          actorType: 'AGENT',
          actorId: agent.sub,
          action: 'REVEAL_CARD_KEY',
          subject: `card-key:${key.id}`,
          after: { orderNumber, incidentId, cardKeyId: key.id, hint: key.hint, agent: agent.username },
          reason,
          correlationId,
        });
      }
      const event: IncidentActionCompletedV1 = {
        incidentId,
        action: 'REVEAL',
        agentId: agent.sub,
        result: 'REVEALED',
        detail: `${agent.username} revealed ${keys.map((k) => k.hint).join(', ')}: ${reason}`.slice(0, 500),
        completedAt: new Date().toISOString(),
      };
      await enqueueEvent(m, INCIDENT_ACTION_TYPES.actionCompleted, orderNumber, event, correlationId);
      return keys.map((k) => this.open(k));
    });
  }

  /** Every card key of the vault issued or delivered to an order, each with the line it fills, by line. */
  private async keysOfOrder(m: EntityManager, orderNumber: string): Promise<(SealedRow & { lineNo: number | null })[]> {
    const delivered = await this.ledger.deliveredKeyLines(m, orderNumber);
    const lineOf = new Map(delivered.map((d) => [d.cardKeyRef, d.lineNo]));
    const keys = await this.vault.keysOfOrder(
      m,
      orderNumber,
      delivered.map((d) => d.cardKeyRef),
    );
    return keys
      .map((k) => ({ ...k, lineNo: lineOf.get(k.id) ?? null }))
      .sort((a, b) => (a.lineNo ?? Number.MAX_SAFE_INTEGER) - (b.lineNo ?? Number.MAX_SAFE_INTEGER));
  }

  private open(k: SealedRow & { lineNo: number | null }): RevealedCardKey {
    return { cardKeyId: k.id, lineNo: k.lineNo, sku: k.sku, secret: this.cipher.open(k.sealed, k.id), status: k.status, issuedAt: k.allocatedAt };
  }

  stock() {
    return this.vault.stockBySku();
  }
}
