import { TOPICS } from '@pt/contracts';
import { Upstream, simOrder, startSuite, waitForCaughtUp, type Suite } from '@pt/testing';
import type { ServiceProcess } from '@pt/dev-stack';
import { runHttpLoad, type HttpLoadResult } from '../http-load.js';
import { startBaseline } from './baseline.js';
import { PRODUCTION_DEFAULTS } from './pipeline.js';

/**
 * GET /v1/payments/:paymentReference with a merchant API key on settlement alone, against
 * a bare Express route running the same two statements. The per-merchant rate limit is
 * lifted for the run: the bench measures the lookup, not the 429 path.
 */
export class SettlementBench {
  private suite!: Suite;
  private baseline!: ServiceProcess;
  private key = '';
  private references: string[] = [];

  constructor(private readonly say: (line: string) => void) {}

  async start(payments: number): Promise<void> {
    this.suite = await startSuite('bench-settlement', ['settlement'], { ...PRODUCTION_DEFAULTS, SETTLEMENT_RATE_LIMIT_PER_MINUTE: '1000000' });
    const admin = async (path: string, body: unknown) => {
      const res = await fetch(`${this.suite.url('settlement')}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.suite.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (res.status !== 201 && res.status !== 200) throw new Error(`POST ${path}: HTTP ${res.status} ${await res.text()}`);
      return (await res.json()) as Record<string, string>;
    };
    const merchant = await admin('/v1/admin/merchants', { name: `Bench merchant ${crypto.randomUUID().slice(0, 6)}` });
    this.key = (await admin(`/v1/admin/merchants/${merchant.id}/api-keys`, { label: 'bench' })).key!;
    const upstream = new Upstream(this.suite.publisher);
    const started = Date.now();
    for (let i = 0; i < payments; i += 250) {
      await Promise.all(
        Array.from({ length: Math.min(250, payments - i) }, async () => {
          const o = simOrder('bench-pay', { merchantId: merchant.id });
          const ref = `PAY-${o.orderNumber}`;
          await upstream.clearing(o, ref, 'wechat', 'CLEARED', 1);
          this.references.push(ref);
        }),
      );
    }
    await waitForCaughtUp(this.suite, 'settlement', [TOPICS.clearingEvents], 120_000);
    this.say(`  seeded ${payments} cleared payments for one merchant in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    this.baseline = await startBaseline('settlement-lookup', this.suite.databaseUrl);
  }

  private load(baseUrl: string, connections: number, durationS: number): Promise<HttpLoadResult> {
    return runHttpLoad({
      url: `${baseUrl}/v1/payments/x`,
      headers: { authorization: `Bearer ${this.key}` },
      connections,
      duration: durationS,
      setupRequest: (req) => ({ ...req, path: `/v1/payments/${encodeURIComponent(this.references[Math.floor(Math.random() * this.references.length)])}` }),
    });
  }

  service(connections: number, durationS: number): Promise<HttpLoadResult> {
    return this.load(this.suite.url('settlement'), connections, durationS);
  }

  bare(connections: number, durationS: number): Promise<HttpLoadResult> {
    return this.load(this.baseline.url, connections, durationS);
  }

  async stop(): Promise<void> {
    await this.baseline?.stop();
    await this.suite?.stop();
  }
}
