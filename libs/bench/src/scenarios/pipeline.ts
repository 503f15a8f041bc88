import { TOPICS, physicalTopic } from '@pt/contracts';
import { Upstream, importCardKeys, reportBody, simOrder, startSuite, waitForCaughtUp, type SimOrder, type Suite } from '@pt/testing';
import { performance } from 'node:perf_hooks';
import { ArrivalWatcher, RoundTracker } from '../arrivals.js';
import { runHttpLoad } from '../http-load.js';
import { quantile } from '../stats.js';

export type TriagePath = 'REISSUED' | 'ESCALATED';

export interface PipelineRoundResult {
  /** Reports answered 201 per second. */
  acceptedPerSecond: number;
  /** Decisions consumed per second, from the first POST to the last decision. */
  decisionsPerSecond: number;
  p50: number;
  p99: number;
  missing: number;
  non2xx: number;
  /**
   * Where the time goes, from the events' Kafka CreateTime (same machine, same clock):
   * POST to incident.reported produced (intake and its relay), incident.reported to
   * incident.triaged produced (reconciliation and its relay), and on to the bench.
   */
  stages: Record<'intake' | 'reconciliation' | 'delivery', { p50: number; p99: number }>;
}

const BENCH_SKU = 'SKU-BENCH';

/** Settings the services run with in production, instead of the test suite's faster polling and smaller pools. */
export const PRODUCTION_DEFAULTS: NodeJS.ProcessEnv = {
  DB_POOL_SIZE: '10',
  OUTBOX_POLL_MS: '200',
  TRIAGE_SWEEP_INTERVAL_MS: '5000',
  LOG_LEVEL: 'info',
};

/**
 * Intake and reconciliation as real processes; reports go in over HTTP (autocannon) and
 * the bench reads incident.triaged.v1 with a consumer of its own, so a report's latency
 * is the time from just before its POST to its decision being consumed.
 */
export class TriagePipeline {
  suite!: Suite;
  private upstream!: Upstream;
  private watcher!: ArrivalWatcher;
  private reportedWatcher!: ArrivalWatcher;
  /** Orders placed and cleared with a lost callback, one card key in stock for each. */
  private readonly reissuable: SimOrder[] = [];

  constructor(private readonly say: (line: string) => void) {}

  async start(): Promise<void> {
    this.suite = await startSuite('bench-pipeline', ['intake', 'reconciliation'], PRODUCTION_DEFAULTS);
    this.upstream = new Upstream(this.suite.publisher);
    this.watcher = new ArrivalWatcher(this.suite.kafka, physicalTopic(this.suite.prefix, TOPICS.incidentTriaged));
    this.reportedWatcher = new ArrivalWatcher(this.suite.kafka, physicalTopic(this.suite.prefix, TOPICS.incidentReported), true);
    await Promise.all([this.watcher.start(), this.reportedWatcher.start()]);
  }

  /** Median size of the decision events seen so far (bytes). */
  decisionSize(): number {
    return quantile(this.watcher.valueSizes, 0.5);
  }

  get stock(): number {
    return this.reissuable.length;
  }

  /** Places and clears `count` orders upstream (callback lost) and imports a card key for each. */
  async seedReissuable(count: number): Promise<void> {
    const started = Date.now();
    const orders = Array.from({ length: count }, () =>
      simOrder('bench', { orderNumber: `BR-${crypto.randomUUID()}`, sku: BENCH_SKU, accountId: `acct-${crypto.randomUUID().slice(0, 12)}` }),
    );
    for (let i = 0; i < orders.length; i += 250) {
      await Promise.all(
        orders.slice(i, i + 250).map(async (o) => {
          await this.upstream.orderPlaced(o);
          await this.upstream.clearing(o, `PAY-${o.orderNumber}`, 'wechat', 'CLEARED', 1);
        }),
      );
    }
    for (let i = 0; i < count; i += 1000) {
      const keys = Array.from({ length: Math.min(1000, count - i) }, () => ({ sku: BENCH_SKU, secret: `BENCH-${crypto.randomUUID()}` }));
      const answer = await importCardKeys(this.suite, keys);
      if (answer.status !== 200) throw new Error(`importing card keys failed: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    await waitForCaughtUp(this.suite, 'reconciliation', [TOPICS.ledgerEvents, TOPICS.clearingEvents], 300_000);
    this.reissuable.push(...orders);
    this.say(`  seeded ${count} cleared orders with lost callbacks and ${count} card keys in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  }

  /** One round of reports on a path; closed loop when no rate is given. */
  async round(path: TriagePath, options: { connections: number; durationS: number; rate?: number }): Promise<PipelineRoundResult> {
    const tracker = new RoundTracker();
    this.watcher.current = tracker;
    this.reportedWatcher.current = tracker;
    let exhausted = false;
    const result = await runHttpLoad({
      url: `${this.suite.url('intake')}/v1/incidents`,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.suite.channelKey}` },
      connections: options.connections,
      duration: options.durationS,
      ...(options.rate ? { overallRate: options.rate } : {}),
      setupRequest: (req, context) => {
        let order: SimOrder | undefined;
        if (path === 'REISSUED') {
          order = this.reissuable.pop();
          if (!order) exhausted = true;
        }
        // An order nobody placed: triage escalates it as ORDER_NOT_FOUND.
        order ??= simOrder('bench-unknown', { orderNumber: `BU-${crypto.randomUUID()}`, accountId: `acct-${crypto.randomUUID().slice(0, 12)}` });
        const counted = path === 'ESCALATED' || !exhausted;
        if (counted) tracker.sent(order.orderNumber, performance.now());
        context.orderNumber = order.orderNumber;
        return { ...req, body: JSON.stringify(reportBody(order)) };
      },
      onResponse: (status, _body, context) => {
        if (status === 201 && typeof context.orderNumber === 'string') tracker.accepted(context.orderNumber);
      },
    });
    if (exhausted) this.say('  warning: the pre-seeded orders ran out during this round; later reports in it were not counted');
    const missing = await tracker.drain(90_000);
    this.watcher.current = null;
    this.reportedWatcher.current = null;
    const stage = (i: 0 | 1 | 2) => tracker.stages.map((s) => s[i]);
    return {
      stages: {
        intake: { p50: quantile(stage(0), 0.5), p99: quantile(stage(0), 0.99) },
        reconciliation: { p50: quantile(stage(1), 0.5), p99: quantile(stage(1), 0.99) },
        delivery: { p50: quantile(stage(2), 0.5), p99: quantile(stage(2), 0.99) },
      },
      acceptedPerSecond: result.okPerSecond,
      decisionsPerSecond: tracker.throughput(),
      p50: quantile(tracker.latencies, 0.5),
      p99: quantile(tracker.latencies, 0.99),
      missing,
      non2xx: result.non2xx,
    };
  }

  async stop(): Promise<void> {
    await this.watcher?.stop();
    await this.reportedWatcher?.stop();
    await this.suite?.stop();
  }
}
