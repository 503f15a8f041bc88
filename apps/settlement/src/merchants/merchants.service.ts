import { HttpStatus, Injectable } from '@nestjs/common';
import { appendAdminAudit, isUniqueViolation } from '@pt/database';
import { currentCorrelationId } from '@pt/observability';
import { ApiError, MERCHANT_API_KEYS } from '@pt/platform';
import type { EntityManager } from 'typeorm';
import { MerchantsRepository, type ApiKeyRow, type MerchantRow } from './merchants.repository.js';

export interface MerchantView {
  id: string;
  name: string;
  createdAt: string;
}

export interface ApiKeyView {
  id: string;
  merchantId: string;
  prefix: string;
  label: string | null;
  status: 'ACTIVE' | 'REVOKED';
  createdAt: string;
  revokedAt: string | null;
}

/** The only answer that ever carries a key's secret. */
export interface CreatedApiKey extends ApiKeyView {
  key: string;
  notice: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const toMerchantView = (m: MerchantRow): MerchantView => ({ id: m.id, name: m.name, createdAt: m.created_at.toISOString() });

export const toApiKeyView = (k: ApiKeyRow): ApiKeyView => ({
  id: k.id,
  merchantId: k.merchant_id,
  prefix: k.prefix,
  label: k.label,
  status: k.revoked_at ? 'REVOKED' : 'ACTIVE',
  createdAt: k.created_at.toISOString(),
  revokedAt: k.revoked_at?.toISOString() ?? null,
});

/** An operator's action on a merchant, in settlement's append-only admin trail. */
function audit(m: EntityManager, operator: string, action: string, merchantId: string, details: Record<string, unknown>): Promise<void> {
  return appendAdminAudit(m, 'settlement', { operator, action, subject: `merchant:${merchantId}`, details, correlationId: currentCorrelationId() });
}

/** Creating merchants, issuing, listing, revoking and rotating their API keys; every change audited under the operator's name. */
@Injectable()
export class MerchantsService {
  constructor(private readonly merchants: MerchantsRepository) {}

  /**
   * Creates a merchant. Asking again with the same id and name returns the existing one
   * (`created: false`), so seeding is repeatable; another name for a taken id, or a name
   * another merchant already has, is a conflict.
   */
  async createMerchant(operator: string, input: { id?: string; name: string }): Promise<{ merchant: MerchantView; created: boolean }> {
    const id = (input.id ?? crypto.randomUUID()).toLowerCase();
    const name = input.name.trim();
    try {
      return await this.merchants.transaction(async (m) => {
        const sameName = await this.merchants.findMerchantByName(name, m);
        if (sameName && sameName.id !== id) throw new ApiError(HttpStatus.CONFLICT, 'MERCHANT_NAME_TAKEN', `another merchant is already named "${name}"`);
        const created = await this.merchants.insertMerchant(m, id, name);
        const merchant = (await this.merchants.findMerchant(id, m))!;
        if (!created && merchant.name !== name) {
          throw new ApiError(HttpStatus.CONFLICT, 'MERCHANT_ID_TAKEN', `merchant ${id} already exists with another name`);
        }
        if (created) await audit(m, operator, 'CREATE_MERCHANT', id, { name });
        return { merchant: toMerchantView(merchant), created };
      });
    } catch (error) {
      if (isUniqueViolation(error, 'merchants_name_key'))
        throw new ApiError(HttpStatus.CONFLICT, 'MERCHANT_NAME_TAKEN', `another merchant is already named "${name}"`);
      throw error;
    }
  }

  async listMerchants(): Promise<(MerchantView & { activeKeys: number })[]> {
    return (await this.merchants.listMerchants()).map((m) => ({ ...toMerchantView(m), activeKeys: m.active_keys }));
  }

  /** A merchant by id, or by name (case-insensitive), for the CLI. */
  async resolveMerchant(idOrName: string): Promise<MerchantView> {
    const merchant = UUID.test(idOrName) ? await this.merchants.findMerchant(idOrName.toLowerCase()) : await this.merchants.findMerchantByName(idOrName);
    if (!merchant) throw ApiError.notFound(`merchant ${idOrName}`);
    return toMerchantView(merchant);
  }

  async createApiKey(operator: string, merchantId: string, label?: string): Promise<CreatedApiKey> {
    return this.merchants.transaction(async (m) => {
      if (!(await this.merchants.findMerchant(merchantId, m))) throw ApiError.notFound(`merchant ${merchantId}`);
      return this.issue(m, operator, merchantId, label);
    });
  }

  async listApiKeys(merchantId: string): Promise<ApiKeyView[]> {
    if (!(await this.merchants.findMerchant(merchantId))) throw ApiError.notFound(`merchant ${merchantId}`);
    return (await this.merchants.listApiKeys(merchantId)).map(toApiKeyView);
  }

  /** Revokes a key at once; revoking it again changes nothing. */
  async revokeApiKey(operator: string, merchantId: string, keyId: string): Promise<ApiKeyView> {
    const row = await this.merchants.transaction(async (m) => {
      const revoked = await this.merchants.revokeApiKey(m, merchantId, keyId);
      if (revoked) await audit(m, operator, 'REVOKE_API_KEY', merchantId, { keyId, prefix: revoked.prefix });
      return revoked;
    });
    if (!row) throw ApiError.notFound(`API key ${keyId} of merchant ${merchantId}`);
    return toApiKeyView(row);
  }

  /** Issues a new key and revokes the old one in one transaction. */
  async rotateApiKey(operator: string, merchantId: string, keyId: string, label?: string): Promise<{ apiKey: CreatedApiKey; revoked: ApiKeyView }> {
    return this.merchants.transaction(async (m) => {
      const old = await this.merchants.lockApiKey(m, merchantId, keyId);
      if (!old) throw ApiError.notFound(`API key ${keyId} of merchant ${merchantId}`);
      if (old.revoked_at) throw new ApiError(HttpStatus.CONFLICT, 'API_KEY_REVOKED', `API key ${keyId} is already revoked; create a new key instead`);
      const apiKey = await this.issue(m, operator, merchantId, label ?? old.label ?? undefined);
      const revoked = (await this.merchants.revokeApiKey(m, merchantId, keyId))!;
      await audit(m, operator, 'ROTATE_API_KEY', merchantId, { keyId, prefix: revoked.prefix, replacedBy: apiKey.id });
      return { apiKey, revoked: toApiKeyView(revoked) };
    });
  }

  private async issue(m: EntityManager, operator: string, merchantId: string, label?: string): Promise<CreatedApiKey> {
    const key = MERCHANT_API_KEYS.generate();
    const row = await this.merchants.insertApiKey(m, { id: crypto.randomUUID(), merchantId, hash: key.hash, prefix: key.prefix, label: label?.trim() || null });
    await audit(m, operator, 'CREATE_API_KEY', merchantId, { keyId: row.id, prefix: row.prefix, label: row.label });
    return { ...toApiKeyView(row), key: key.secret, notice: 'store this key now: it is shown only once and cannot be recovered' };
  }
}
