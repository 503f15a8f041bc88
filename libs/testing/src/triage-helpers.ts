import type { SimOrder } from '@pt/upstream';
import type { Suite } from './suite.js';
import { waitFor } from './wait-for.js';

/** A fresh simulated order with a unique number. */
export function simOrder(label: string, overrides: Partial<SimOrder> = {}): SimOrder {
  return {
    orderNumber: `T-${label}-${crypto.randomUUID().slice(0, 8)}`,
    accountId: `acct-${label}`,
    phoneLast4: '4321',
    merchantId: '3f0c1f7e-2b1a-4c1e-9d7a-0a1b2c3d4e5f',
    sku: 'SKU-T',
    amountMinor: '600',
    currency: 'CNY',
    placedAt: new Date(Date.now() - 30 * 60_000),
    ...overrides,
  };
}

/** The body a buyer's help-center bot would send for an order. */
export function reportBody(o: SimOrder, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    orderNumber: o.orderNumber,
    accountId: o.accountId,
    amountMinor: o.amountMinor,
    currency: o.currency,
    paidAt: new Date(o.placedAt.getTime() + 60_000).toISOString(),
    channel: 'wechat',
    phoneLast4: o.phoneLast4,
    ...extra,
  };
}

export interface HttpAnswer {
  status: number;
  body: Record<string, any>;
}

/**
 * Files a report as the suite's channel client (a help center) would. Pass `authorization`
 * to call with another key (or '' for none), `x-buyer-token` to report as a verified buyer.
 */
export async function postReport(suite: Suite, body: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  const auth: Record<string, string> = { authorization: `Bearer ${suite.channelKey}`, ...headers };
  if (auth.authorization === '') delete auth.authorization;
  const res = await fetch(`${suite.url('intake')}/v1/incidents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

const tokens = new WeakMap<Suite, Map<string, string>>();

/** Creates an agent with a known password through intake's admin API. */
export async function createAgent(suite: Suite, username: string, role: 'agent' | 'supervisor', password: string): Promise<void> {
  const created = await fetch(`${suite.url('intake')}/v1/admin/agents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${suite.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ username, displayName: username, role, password }),
  });
  if (created.status !== 201) throw new Error(`creating agent ${username} failed: HTTP ${created.status} ${await created.text()}`);
}

/** Creates an agent through intake's admin API and signs it in; cached per suite and role. */
export async function agentToken(suite: Suite, role: 'agent' | 'supervisor' = 'supervisor', username?: string): Promise<string> {
  const cache = tokens.get(suite) ?? new Map<string, string>();
  tokens.set(suite, cache);
  const key = username ?? role;
  const cached = cache.get(key);
  if (cached) return cached;
  const name = username ?? `${role}-${crypto.randomUUID().slice(0, 8)}`;
  const password = `pw-${crypto.randomUUID()}`;
  const created = await fetch(`${suite.url('intake')}/v1/admin/agents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${suite.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ username: name, displayName: name, role, password }),
  });
  if (created.status !== 201) throw new Error(`creating agent ${name} failed: HTTP ${created.status} ${await created.text()}`);
  const signed = await fetch(`${suite.url('intake')}/v1/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: name, password }),
  });
  const body = (await signed.json()) as { token: string };
  cache.set(key, body.token);
  return body.token;
}

export async function getIncident(suite: Suite, id: string): Promise<Record<string, any>> {
  const token = await agentToken(suite);
  return (await (await fetch(`${suite.url('intake')}/v1/incidents/${id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as Record<string, any>;
}

/** Waits until intake shows a decision for the incident (optionally one with a given reason). */
export function waitForDecision(suite: Suite, id: string, reasonCode?: string, timeoutMs = 30_000): Promise<Record<string, any>> {
  return waitFor(
    `incident ${id} to be triaged${reasonCode ? ` as ${reasonCode}` : ''}`,
    async () => {
      const incident = await getIncident(suite, id);
      if (!incident.decision) return undefined;
      return !reasonCode || incident.decision.reasonCode === reasonCode ? incident : undefined;
    },
    { timeoutMs },
  );
}

/** The decisions reconciliation stored for an incident, with their evidence. */
export async function decisionsOf(suite: Suite, id: string): Promise<Record<string, any>[]> {
  const res = await fetch(`${suite.url('reconciliation')}/v1/decisions/${id}`, { headers: { authorization: `Bearer ${await agentToken(suite)}` } });
  if (res.status === 404) return [];
  return ((await res.json()) as { decisions: Record<string, any>[] }).decisions;
}

/** Waits until reconciliation's mirrors hold the order and the given number of clearing records. */
export function waitForMirror(suite: Suite, orderNumber: string, clearingRecords = 0): Promise<true> {
  return waitFor(`ledger and clearing mirrors of ${orderNumber}`, async () => {
    const { rows } = await suite.db.query(
      `SELECT (SELECT count(*) FROM reconciliation.ledger_orders WHERE order_number = $1)::int AS orders,
              (SELECT count(*) FROM reconciliation.clearing_records WHERE order_number = $1)::int AS clearing`,
      [orderNumber],
    );
    return rows[0].orders === 1 && rows[0].clearing === clearingRecords ? true : undefined;
  });
}

/** Imports card keys through reconciliation's admin API (JSON); answers its report. */
export async function importCardKeys(suite: Suite, keys: { sku: string; secret: string; expiresAt?: string }[]): Promise<HttpAnswer> {
  const res = await fetch(`${suite.url('reconciliation')}/v1/admin/card-keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${suite.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ keys }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

/** Available keys of a SKU, straight from the vault table. */
export async function stockOf(suite: Suite, sku: string): Promise<number> {
  const { rows } = await suite.db.query(`SELECT count(*)::int AS n FROM reconciliation.card_keys WHERE sku = $1 AND status = 'AVAILABLE'`, [sku]);
  return rows[0].n;
}

/** Recognisable card-key secrets, so a test can search logs and topics for them. */
export function markedSecrets(label: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `SECRET-${label}-${i}-${crypto.randomUUID().slice(0, 12)}`);
}

/**
 * Waits until a service's consumer group has committed offsets up to the end of the given
 * topics: everything published before the call has been applied.
 */
export async function waitForCaughtUp(suite: Suite, service: 'intake' | 'reconciliation' | 'settlement', topics: string[], timeoutMs = 30_000): Promise<void> {
  const groupId = `${suite.prefix}-${service}`;
  const admin = suite.kafka.admin();
  await admin.connect();
  try {
    const targets = await Promise.all(topics.map(async (topic) => ({ topic, offsets: await admin.topicOffsets(`${suite.prefix}.${topic}`) })));
    await waitFor(
      `${service} to consume ${topics.join(', ')} to the end`,
      async () => {
        for (const target of targets) {
          const mine = await admin.committedOffsets(groupId, `${suite.prefix}.${target.topic}`);
          for (const partition of target.offsets) {
            const done = mine.find((p) => p.partition === partition.partition)?.offset ?? '-1';
            const high = BigInt(partition.high);
            if (high > 0n && BigInt(done) < high) return undefined;
          }
        }
        return true;
      },
      { timeoutMs, intervalMs: 100 },
    );
  } finally {
    await admin.disconnect();
  }
}
