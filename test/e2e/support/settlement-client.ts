import type { Suite } from '@pt/testing';
import { schemaProblems } from './openapi-check.js';

export interface Answer {
  status: number;
  body: any;
  text: string;
  headers: Headers;
}

/** Talks to the settlement service of a suite, as an operator (admin token) or as a merchant (API key). */
export class SettlementClient {
  private document: Record<string, any> | undefined;

  constructor(
    private readonly suite: Suite,
    private readonly baseUrl: () => string = () => suite.url('settlement'),
  ) {}

  async request(
    method: string,
    path: string,
    options: { key?: string; keyHeader?: 'bearer' | 'x-api-key'; admin?: boolean; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.admin) headers.authorization = `Bearer ${this.suite.adminToken}`;
    if (options.key) {
      if (options.keyHeader === 'x-api-key') headers['x-api-key'] = options.key;
      else headers.authorization = `Bearer ${options.key}`;
    }
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.baseUrl()}${path}`, { method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: res.status, body, text, headers: res.headers };
  }

  /** GET as a merchant. */
  get(path: string, key: string, headers: Record<string, string> = {}): Promise<Answer> {
    return this.request('GET', path, { key, headers });
  }

  async createMerchant(name: string, id: string = crypto.randomUUID()): Promise<{ id: string; name: string }> {
    const res = await this.request('POST', '/v1/admin/merchants', { admin: true, body: { id, name } });
    if (res.status !== 201 && res.status !== 200) throw new Error(`creating merchant ${name}: ${res.status} ${res.text}`);
    return res.body;
  }

  async createKey(merchantId: string, label?: string): Promise<{ id: string; key: string; prefix: string }> {
    const res = await this.request('POST', `/v1/admin/merchants/${merchantId}/api-keys`, { admin: true, body: label ? { label } : {} });
    if (res.status !== 201) throw new Error(`creating a key: ${res.status} ${res.text}`);
    return res.body;
  }

  /** The document the service serves, fetched once. */
  async openapi(): Promise<Record<string, any>> {
    this.document ??= (await this.request('GET', '/openapi.json')).body;
    return this.document!;
  }

  /** Fails the test when a response body does not match its schema in the served document. */
  async expectSchema(schemaName: string, body: unknown): Promise<void> {
    const problems = schemaProblems(await this.openapi(), { $ref: `#/components/schemas/${schemaName}` }, body);
    if (problems.length > 0) throw new Error(`response does not match ${schemaName}:\n${problems.join('\n')}\n${JSON.stringify(body, null, 2)}`);
  }
}
