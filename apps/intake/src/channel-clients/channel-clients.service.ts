import { HttpStatus, Injectable } from '@nestjs/common';
import { CHANNEL_CLIENT_KEY_CHANGED_TYPE, type ChannelClientKeyChangedV1 } from '@pt/contracts';
import { appendAdminAudit, enqueueEvent } from '@pt/database';
import { currentCorrelationId } from '@pt/observability';
import { ApiError, CHANNEL_CLIENT_KEYS, OutboxPublisher } from '@pt/platform';
import type { EntityManager } from 'typeorm';
import { ChannelClientRepository, type ChannelClientRow, type ChannelKeyRow, type ChannelKind } from './channel-client.repository.js';

export interface ChannelKeyView {
  id: string;
  label: string | null;
  prefix: string;
  status: 'ACTIVE' | 'REVOKED';
  createdAt: string;
  revokedAt: string | null;
  replacedBy: string | null;
}

export interface ChannelClientView extends ChannelClientRow {
  keys: ChannelKeyView[];
}

/** A key as created: its secret is in this answer only. */
export interface CreatedChannelKey extends ChannelKeyView {
  clientId: string;
  secret: string;
}

function keyView(k: ChannelKeyRow): ChannelKeyView {
  return {
    id: k.id,
    label: k.label,
    prefix: k.prefix,
    status: k.revokedAt ? 'REVOKED' : 'ACTIVE',
    createdAt: k.createdAt,
    revokedAt: k.revokedAt,
    replacedBy: k.replacedBy,
  };
}

/**
 * The shop's channels (help center, chat bot, phone desk) that call on a buyer's behalf.
 * Every change is audited under the operator's name and announced on access.events.v1,
 * so reconciliation accepts exactly the keys intake does.
 */
@Injectable()
export class ChannelClientsService {
  constructor(
    private readonly clients: ChannelClientRepository,
    private readonly outbox: OutboxPublisher,
  ) {}

  async create(
    operator: string,
    input: { name: string; kind: ChannelKind; keyLabel?: string },
  ): Promise<{ client: ChannelClientView; key: CreatedChannelKey }> {
    const result = await this.clients.transaction(async (m) => {
      const id = crypto.randomUUID();
      if (!(await this.clients.insertClient(m, { id, name: input.name, kind: input.kind, createdBy: operator }))) {
        throw new ApiError(HttpStatus.CONFLICT, 'CHANNEL_CLIENT_EXISTS', `a channel client named ${input.name} already exists`, [
          { field: 'name', message: 'is taken' },
        ]);
      }
      await appendAdminAudit(m, 'intake', {
        operator,
        action: 'CREATE_CHANNEL_CLIENT',
        subject: `channel-client:${id}`,
        details: { name: input.name, kind: input.kind },
        correlationId: currentCorrelationId(),
      });
      const client = (await this.clients.client(id, m))!;
      const key = await this.issueKey(m, operator, client, input.keyLabel ?? null);
      const { secret: _shownOnce, clientId: _client, ...listed } = key;
      return { client: { ...client, keys: [listed] }, key };
    });
    this.outbox.nudge();
    return result;
  }

  async createKey(operator: string, clientIdOrName: string, label: string | null): Promise<CreatedChannelKey> {
    const key = await this.clients.transaction(async (m) => this.issueKey(m, operator, await this.clientOr404(clientIdOrName, m), label));
    this.outbox.nudge();
    return key;
  }

  /** A new key for the client; the old one stops working at once. */
  async rotateKey(operator: string, clientIdOrName: string, keyId: string): Promise<CreatedChannelKey> {
    const key = await this.clients.transaction(async (m) => {
      const client = await this.clientOr404(clientIdOrName, m);
      const old = await this.clients.lockKey(m, client.id, keyId);
      if (!old) throw ApiError.notFound(`key ${keyId} of channel client ${client.name}`);
      if (old.revokedAt) throw new ApiError(HttpStatus.CONFLICT, 'KEY_REVOKED', `key ${keyId} is already revoked; create a new key instead`);
      const fresh = await this.issueKey(m, operator, client, old.label);
      await this.revoke(m, operator, client, keyId, fresh.id);
      return fresh;
    });
    this.outbox.nudge();
    return key;
  }

  async revokeKey(operator: string, clientIdOrName: string, keyId: string): Promise<ChannelKeyView> {
    const key = await this.clients.transaction(async (m) => this.revoke(m, operator, await this.clientOr404(clientIdOrName, m), keyId, null));
    this.outbox.nudge();
    return keyView(key);
  }

  async list(): Promise<ChannelClientView[]> {
    const clients = await this.clients.clients();
    const keys = await this.clients.keysOf(clients.map((c) => c.id));
    return clients.map((c) => ({ ...c, keys: keys.filter((k) => k.clientId === c.id).map(keyView) }));
  }

  private async clientOr404(idOrName: string, m: EntityManager): Promise<ChannelClientRow> {
    const client = await this.clients.client(idOrName, m);
    if (!client) throw ApiError.notFound(`channel client ${idOrName}`);
    return client;
  }

  private async issueKey(m: EntityManager, operator: string, client: ChannelClientRow, label: string | null): Promise<CreatedChannelKey> {
    const generated = CHANNEL_CLIENT_KEYS.generate();
    const row = await this.clients.insertKey(m, { id: crypto.randomUUID(), clientId: client.id, label, prefix: generated.prefix, keyHash: generated.hash });
    await appendAdminAudit(m, 'intake', {
      operator,
      action: 'CREATE_CHANNEL_CLIENT_KEY',
      subject: `channel-client:${client.id}`,
      details: { keyId: row.id, prefix: row.prefix, label },
      correlationId: currentCorrelationId(),
    });
    await this.announce(m, client, row);
    return { ...keyView(row), clientId: client.id, secret: generated.secret };
  }

  private async revoke(m: EntityManager, operator: string, client: ChannelClientRow, keyId: string, replacedBy: string | null): Promise<ChannelKeyRow> {
    const row = await this.clients.revokeKey(m, client.id, keyId, replacedBy);
    if (!row) throw ApiError.notFound(`key ${keyId} of channel client ${client.name}`);
    await appendAdminAudit(m, 'intake', {
      operator,
      action: replacedBy ? 'ROTATE_CHANNEL_CLIENT_KEY' : 'REVOKE_CHANNEL_CLIENT_KEY',
      subject: `channel-client:${client.id}`,
      details: { keyId, prefix: row.prefix, replacedBy },
      correlationId: currentCorrelationId(),
    });
    await this.announce(m, client, row);
    return row;
  }

  private async announce(m: EntityManager, client: ChannelClientRow, key: ChannelKeyRow): Promise<void> {
    const event: ChannelClientKeyChangedV1 = {
      clientId: client.id,
      clientName: client.name,
      keyId: key.id,
      keyHash: key.keyHash,
      status: key.revokedAt ? 'REVOKED' : 'ACTIVE',
      changedAt: new Date().toISOString(),
    };
    await enqueueEvent(m, CHANNEL_CLIENT_KEY_CHANGED_TYPE, client.id, event, currentCorrelationId() ?? crypto.randomUUID());
  }
}
