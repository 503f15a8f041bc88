import { reportBody, simOrder, startSuite, type Suite } from '@pt/testing';
import type { ServiceProcess } from '@pt/dev-stack';
import { runHttpLoad, type HttpLoadResult } from '../http-load.js';
import { startBaseline } from './baseline.js';
import { PRODUCTION_DEFAULTS } from './pipeline.js';

/**
 * POST /v1/incidents on intake alone (validation, transaction, ticket number, incident,
 * outbox row, audit entry, relay to Kafka) against a bare Express route doing one INSERT
 * of the same row into a copy of intake.incidents. Every request reports a new order (a whole UUID: eight hex digits collide
 * within a run of tens of thousands).
 */
export class IntakeBench {
  private suite!: Suite;
  private baseline!: ServiceProcess;

  async start(): Promise<void> {
    this.suite = await startSuite('bench-intake', ['intake'], PRODUCTION_DEFAULTS);
    await this.suite.db.query(`CREATE SCHEMA IF NOT EXISTS bench_baseline`);
    await this.suite.db.query(`CREATE TABLE bench_baseline.incidents (LIKE intake.incidents INCLUDING ALL)`);
    this.baseline = await startBaseline('intake-insert', this.suite.databaseUrl);
  }

  private load(baseUrl: string, connections: number, durationS: number): Promise<HttpLoadResult> {
    return runHttpLoad({
      url: `${baseUrl}/v1/incidents`,
      method: 'POST',
      // The bare route ignores the channel key; intake checks it, as it does every report.
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.suite.channelKey}` },
      connections,
      duration: durationS,
      setupRequest: (req) => ({
        ...req,
        body: JSON.stringify(
          reportBody(simOrder('bench-intake', { orderNumber: `BI-${crypto.randomUUID()}`, accountId: `acct-${crypto.randomUUID().slice(0, 12)}` })),
        ),
      }),
    });
  }

  service(connections: number, durationS: number): Promise<HttpLoadResult> {
    return this.load(this.suite.url('intake'), connections, durationS);
  }

  bare(connections: number, durationS: number): Promise<HttpLoadResult> {
    return this.load(this.baseline.url, connections, durationS);
  }

  async stop(): Promise<void> {
    await this.baseline?.stop();
    await this.suite?.stop();
  }
}
