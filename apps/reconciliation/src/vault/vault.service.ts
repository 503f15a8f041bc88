import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { ApiError, SERVICE_CONFIG } from '@pt/platform';
import type { ReconciliationConfig } from '../config/reconciliation.config.js';
import { CardKeyCipher, maskedHint } from './card-key.cipher.js';
import { VaultRepository, type NewCardKey } from './vault.repository.js';

export interface CardKeyInput {
  sku: string;
  secret: string;
  expiresAt?: string | null;
}

export interface ImportReport {
  imported: number;
  duplicatesInFile: { line: number; sku: string }[];
  duplicatesInStock: { line: number; sku: string }[];
}

const SKU = /^[A-Za-z0-9._-]{1,64}$/;

/** Imports card keys into the vault, sealed; secrets are never returned or logged. */
@Injectable()
export class VaultService {
  readonly cipher: CardKeyCipher;

  constructor(
    private readonly vault: VaultRepository,
    @Inject(SERVICE_CONFIG) config: ReconciliationConfig,
  ) {
    this.cipher = new CardKeyCipher(config.VAULT_KEY_ID, { [config.VAULT_KEY_ID]: config.VAULT_KEY });
  }

  /**
   * Imports a batch all-or-nothing. A malformed row rejects the whole batch naming its
   * line; duplicates (inside the batch, or already in stock) are skipped and reported.
   */
  async import(rows: CardKeyInput[]): Promise<ImportReport> {
    const problems: { field: string; message: string }[] = [];
    rows.forEach((row, index) => {
      const line = index + 1;
      if (!row || typeof row !== 'object') problems.push({ field: `line ${line}`, message: 'must be an object with sku and secret' });
      else {
        if (typeof row.sku !== 'string' || !SKU.test(row.sku)) problems.push({ field: `line ${line}.sku`, message: 'must be 1-64 letters, digits, . _ -' });
        if (typeof row.secret !== 'string' || row.secret.length < 4 || row.secret.length > 512) {
          problems.push({ field: `line ${line}.secret`, message: 'must be a string of 4 to 512 characters' });
        }
        if (row.expiresAt != null && (typeof row.expiresAt !== 'string' || Number.isNaN(Date.parse(row.expiresAt)))) {
          problems.push({ field: `line ${line}.expiresAt`, message: 'must be an ISO 8601 timestamp' });
        }
      }
    });
    if (rows.length === 0) problems.push({ field: 'keys', message: 'must contain at least one card key' });
    if (problems.length > 0) throw new ApiError(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', 'the import was rejected; nothing was imported', problems);

    const seen = new Map<string, number>();
    const duplicatesInFile: ImportReport['duplicatesInFile'] = [];
    const candidates: { line: number; key: NewCardKey }[] = [];
    rows.forEach((row, index) => {
      const fingerprint = this.cipher.fingerprint(row.sku, row.secret);
      if (seen.has(fingerprint)) {
        duplicatesInFile.push({ line: index + 1, sku: row.sku });
        return;
      }
      seen.set(fingerprint, index + 1);
      const id = crypto.randomUUID();
      candidates.push({
        line: index + 1,
        key: {
          id,
          sku: row.sku,
          sealed: this.cipher.seal(row.secret, id),
          fingerprint,
          hint: maskedHint(row.secret),
          expiresAt: row.expiresAt ? new Date(row.expiresAt).toISOString() : null,
        },
      });
    });
    return this.vault.transaction(async (m) => {
      const existing = await this.vault.existingFingerprints(m, candidates.map((c) => c.key.fingerprint));
      const duplicatesInStock = candidates.filter((c) => existing.has(c.key.fingerprint)).map((c) => ({ line: c.line, sku: c.key.sku }));
      const fresh = candidates.filter((c) => !existing.has(c.key.fingerprint)).map((c) => c.key);
      await this.vault.insertMany(m, fresh);
      return { imported: fresh.length, duplicatesInFile, duplicatesInStock };
    });
  }

  stock() {
    return this.vault.stockBySku();
  }
}
