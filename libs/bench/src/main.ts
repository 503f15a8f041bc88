// `npm run bench`: the suite's throughput and latency next to the raw limits of the same
// machine, measured in the same run. See docs/benchmarks.md.
import 'reflect-metadata';
import { KAFKA_CLIENTS, loadKafkaClientName, loadKafkaSecurity } from '@pt/config';
import { createKafkaClient } from '@pt/kafka';
import { JsonLogger } from '@pt/observability';
import { withUsage } from '@pt/config';
import { projectRoot } from '@pt/dev-stack';
import fs from 'node:fs';
import path from 'node:path';
import { startBenchInfrastructure, type BenchInfrastructure } from './infra.js';
import { machineInfo } from './machine.js';
import { BENCH_USAGE, parseOptions, type BenchOptions } from './options.js';
import { connectionsFor } from './pacing.js';
import { renderTable, type Row } from './report.js';
import { IntakeBench } from './scenarios/intake.js';
import { TriagePipeline, type PipelineRoundResult, type TriagePath } from './scenarios/pipeline.js';
import { RawKafkaRoundTrip, type KafkaRoundResult } from './scenarios/raw-kafka.js';
import { runBulkReconciliation } from './scenarios/recon.js';
import { SettlementBench } from './scenarios/settlement.js';
import { round1, spreadOf } from './stats.js';
import type { HttpLoadResult } from './http-load.js';

const began = Date.now();
const say = (line: string) => process.stdout.write(`[bench ${String(Math.round((Date.now() - began) / 1000)).padStart(4)}s] ${line}\n`);

/**
 * Connections for a fixed offered rate. autocannon gives each connection a budget of
 * requests per second and sends it back to back at the start of the second; with as few
 * connections as keep each one busy about two thirds of the second (at the latency seen
 * at saturation), the reports are spread over the second instead of arriving in a burst.
 * The raw baseline is driven with the same number of senders and the same budgets.
 */
function offeredConnections(rate: number, saturation: PipelineRoundResult[], connections: number): number {
  const secondsPerRequest = connections / Math.max(1, spreadOf(saturation.map((r) => r.acceptedPerSecond)).median);
  return connectionsFor(rate, Math.min(connections, Math.max(1, Math.ceil(rate * secondsPerRequest * 1.5))));
}

async function rounds<T>(label: string, count: number, run: (round: number) => Promise<T>, describe: (r: T) => string): Promise<T[]> {
  const out: T[] = [];
  for (let i = 1; i <= count; i += 1) {
    const r = await run(i);
    say(`  ${label} round ${i}/${count}: ${describe(r)}`);
    out.push(r);
  }
  return out;
}

const ms = (n: number) => `${round1(n)} ms`;
const describePipeline = (r: PipelineRoundResult) =>
  `${round1(r.acceptedPerSecond)} reports/s accepted, ${round1(r.decisionsPerSecond)} decisions/s, p50 ${ms(r.p50)}, p99 ${ms(r.p99)}${r.missing ? `, ${r.missing} decisions missing` : ''}${r.non2xx ? `, ${r.non2xx} non-2xx` : ''}` +
  ` | p50/p99 by stage: intake ${round1(r.stages.intake.p50)}/${round1(r.stages.intake.p99)}, reconciliation ${round1(r.stages.reconciliation.p50)}/${round1(r.stages.reconciliation.p99)}, to bench ${round1(r.stages.delivery.p50)}/${round1(r.stages.delivery.p99)} ms`;
const describeKafka = (r: KafkaRoundResult) => `${round1(r.throughput)} msgs/s, p50 ${ms(r.p50)}, p99 ${ms(r.p99)}${r.missing ? `, ${r.missing} missing` : ''}`;
const describeHttp = (r: HttpLoadResult) =>
  `${round1(r.okPerSecond)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms${r.non2xx ? `, ${r.non2xx} non-2xx` : ''}${r.errors ? `, ${r.errors} errors` : ''}`;

interface PipelineFigures {
  saturation: PipelineRoundResult[];
  offeredRate: number;
  offeredConnections: number;
  offered: PipelineRoundResult[];
}

async function benchPipeline(options: BenchOptions, kafkaBrokers: string, rows: Row[], raw: Record<string, unknown>): Promise<void> {
  const { rounds: n, duration, warmup, connections } = options;
  const pipeline = new TriagePipeline(say);
  say('triage pipeline: starting intake and reconciliation');
  await pipeline.start();
  const figures: Partial<Record<TriagePath, PipelineFigures>> = {};
  try {
    say(`ESCALATED path (unknown orders): warm-up ${warmup}s`);
    await pipeline.round('ESCALATED', { connections, durationS: warmup });
    const escalatedSaturation = await rounds(
      'ESCALATED saturation',
      n,
      () => pipeline.round('ESCALATED', { connections, durationS: duration }),
      describePipeline,
    );
    const acceptRate = Math.max(...escalatedSaturation.map((r) => r.acceptedPerSecond));
    const escalatedRate = Math.max(1, Math.round(spreadOf(escalatedSaturation.map((r) => r.decisionsPerSecond)).median / 2));
    const escalatedConnections = offeredConnections(escalatedRate, escalatedSaturation, connections);
    say(`ESCALATED at a fixed ${escalatedRate} reports/s (half of saturation) over ${escalatedConnections} connections`);
    const escalatedOffered = await rounds(
      'ESCALATED offered',
      n,
      () => pipeline.round('ESCALATED', { connections: escalatedConnections, durationS: duration, rate: escalatedRate }),
      describePipeline,
    );
    figures.ESCALATED = { saturation: escalatedSaturation, offeredRate: escalatedRate, offeredConnections: escalatedConnections, offered: escalatedOffered };

    // Enough orders for the warm-up and saturation rounds (intake accepts more on this path than on the
    // escalated one, hence the margin) and for the offered rounds.
    const need = Math.ceil(acceptRate * (warmup + n * duration) * 1.8 + (acceptRate / 2) * n * duration * 1.2) + 200;
    say(`REISSUED path: seeding ${need} orders (placed, cleared, callback lost) and card keys`);
    await pipeline.seedReissuable(need);
    say(`REISSUED path: warm-up ${warmup}s`);
    await pipeline.round('REISSUED', { connections, durationS: warmup });
    const reissuedSaturation = await rounds('REISSUED saturation', n, () => pipeline.round('REISSUED', { connections, durationS: duration }), describePipeline);
    const reissuedRate = Math.max(1, Math.round(spreadOf(reissuedSaturation.map((r) => r.decisionsPerSecond)).median / 2));
    const reissuedConnections = offeredConnections(reissuedRate, reissuedSaturation, connections);
    say(`REISSUED at a fixed ${reissuedRate} reports/s (half of saturation) over ${reissuedConnections} connections; ${pipeline.stock} pre-seeded orders left`);
    const reissuedOffered = await rounds(
      'REISSUED offered',
      n,
      () => pipeline.round('REISSUED', { connections: reissuedConnections, durationS: duration, rate: reissuedRate }),
      describePipeline,
    );
    figures.REISSUED = { saturation: reissuedSaturation, offeredRate: reissuedRate, offeredConnections: reissuedConnections, offered: reissuedOffered };
  } finally {
    await pipeline.stop();
  }
  const valueSize = Math.round(pipeline.decisionSize()) || 1000;

  // The raw round trip runs on the client the services use (KAFKA_CLIENT); the other
  // client's saturation is measured once after it, for the two side by side.
  const client = loadKafkaClientName(process.env);
  say(`raw ${client} round trip (${valueSize}-byte messages, the median decision event size): warm-up ${warmup}s`);
  const logger = new JsonLogger('bench', 'error');
  const clientOf = (name: typeof client) =>
    createKafkaClient({ brokers: kafkaBrokers.split(','), clientId: `bench-raw-${name}`, security: loadKafkaSecurity(process.env), client: name, logger });
  const roundTrip = new RawKafkaRoundTrip(clientOf(client), `b${crypto.randomUUID().slice(0, 8)}`);
  await roundTrip.start();
  const rawOffered: Partial<Record<TriagePath, KafkaRoundResult[]>> = {};
  let rawSaturation: KafkaRoundResult[];
  try {
    await roundTrip.round({ senders: connections, durationMs: warmup * 1000, valueSize });
    rawSaturation = await rounds('raw saturation', n, () => roundTrip.round({ senders: connections, durationMs: duration * 1000, valueSize }), describeKafka);
    for (const path of ['ESCALATED', 'REISSUED'] as const) {
      const { offeredRate: rate, offeredConnections: senders } = figures[path]!;
      rawOffered[path] = await rounds(
        `raw at ${rate} msgs/s`,
        n,
        () => roundTrip.round({ senders, durationMs: duration * 1000, rate, valueSize }),
        describeKafka,
      );
    }
  } finally {
    await roundTrip.stop();
  }
  const other = KAFKA_CLIENTS.find((name) => name !== client)!;
  say(`raw ${other} round trip, for comparison: warm-up ${warmup}s`);
  const otherTrip = new RawKafkaRoundTrip(clientOf(other), `b${crypto.randomUUID().slice(0, 8)}`);
  await otherTrip.start();
  let otherSaturation: KafkaRoundResult[];
  try {
    await otherTrip.round({ senders: connections, durationMs: warmup * 1000, valueSize });
    otherSaturation = await rounds(
      `raw ${other} saturation`,
      n,
      () => otherTrip.round({ senders: connections, durationMs: duration * 1000, valueSize }),
      describeKafka,
    );
  } finally {
    await otherTrip.stop();
  }

  const rawSat = spreadOf(rawSaturation.map((r) => r.throughput));
  raw.rawKafka = { client, valueSize, saturation: rawSaturation, offered: rawOffered, [other]: { saturation: otherSaturation } };
  raw.pipeline = figures;
  rows.push({ scenario: `raw ${client} round trip (services' client)`, metric: 'saturation', unit: 'msgs/s', measured: rawSat, baseline: null });
  rows.push({
    scenario: `raw ${other} round trip`,
    metric: 'saturation',
    unit: 'msgs/s',
    measured: spreadOf(otherSaturation.map((r) => r.throughput)),
    baseline: rawSat,
    ratio: spreadOf(otherSaturation.map((r) => r.throughput)).median / rawSat.median,
  });
  rows.push({
    scenario: `raw ${other} round trip`,
    metric: 'p99 at saturation',
    unit: 'ms',
    measured: spreadOf(otherSaturation.map((r) => r.p99)),
    baseline: spreadOf(rawSaturation.map((r) => r.p99)),
  });
  for (const path of ['REISSUED', 'ESCALATED'] as const) {
    const f = figures[path]!;
    const name = `triage ${path}`;
    const decisions = spreadOf(f.saturation.map((r) => r.decisionsPerSecond));
    const ratio = decisions.median / rawSat.median;
    rows.push({
      scenario: name,
      metric: 'reports accepted at saturation',
      unit: 'reports/s',
      measured: spreadOf(f.saturation.map((r) => r.acceptedPerSecond)),
      baseline: null,
    });
    rows.push({
      scenario: name,
      metric: 'decisions at saturation',
      unit: 'decisions/s',
      measured: decisions,
      baseline: rawSat,
      ratio,
      goal: '>= 0.25',
      goalMet: ratio >= 0.25,
    });
    rows.push({
      scenario: name,
      metric: 'p99 at saturation',
      unit: 'ms',
      measured: spreadOf(f.saturation.map((r) => r.p99)),
      baseline: spreadOf(rawSaturation.map((r) => r.p99)),
    });
    rows.push({
      scenario: name,
      metric: `p50 at ${f.offeredRate}/s`,
      unit: 'ms',
      measured: spreadOf(f.offered.map((r) => r.p50)),
      baseline: spreadOf(rawOffered[path]!.map((r) => r.p50)),
    });
    const p99 = spreadOf(f.offered.map((r) => r.p99));
    const rawP99 = spreadOf(rawOffered[path]!.map((r) => r.p99));
    const gap = p99.median - rawP99.median;
    rows.push({
      scenario: name,
      metric: `p99 at ${f.offeredRate}/s (half sat.)`,
      unit: 'ms',
      measured: p99,
      baseline: rawP99,
      ratio: gap,
      goal: 'gap <= 50 ms',
      goalMet: gap <= 50,
    });
  }
}

async function benchHttpPair(
  label: string,
  bench: { service: (c: number, d: number) => Promise<HttpLoadResult>; bare: (c: number, d: number) => Promise<HttpLoadResult> },
  options: BenchOptions,
): Promise<{ service: HttpLoadResult[]; bare: HttpLoadResult[] }> {
  const { rounds: n, duration, warmup, connections } = options;
  say(`${label}: warm-up ${warmup}s each`);
  await bench.service(connections, warmup);
  await bench.bare(connections, warmup);
  const service: HttpLoadResult[] = [];
  const bare: HttpLoadResult[] = [];
  // Alternating service and baseline rounds, so drift in the machine's other load hits both.
  for (let i = 1; i <= n; i += 1) {
    const s = await bench.service(connections, duration);
    say(`  ${label} service round ${i}/${n}: ${describeHttp(s)}`);
    service.push(s);
    const b = await bench.bare(connections, duration);
    say(`  ${label} baseline round ${i}/${n}: ${describeHttp(b)}`);
    bare.push(b);
  }
  return { service, bare };
}

function httpRows(scenario: string, pair: { service: HttpLoadResult[]; bare: HttpLoadResult[] }, goal?: number): Row[] {
  const rps = spreadOf(pair.service.map((r) => r.okPerSecond));
  const bareRps = spreadOf(pair.bare.map((r) => r.okPerSecond));
  const ratio = rps.median / bareRps.median;
  return [
    { scenario, metric: 'throughput', unit: 'req/s', measured: rps, baseline: bareRps, ratio, ...(goal ? { goal: `>= ${goal}`, goalMet: ratio >= goal } : {}) },
    { scenario, metric: 'p99 latency', unit: 'ms', measured: spreadOf(pair.service.map((r) => r.p99)), baseline: spreadOf(pair.bare.map((r) => r.p99)) },
  ];
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (options === 'help') {
    process.stdout.write(`${BENCH_USAGE}\n`);
    return 0;
  }
  const wants = (name: string) => options.only.length === 0 || options.only.includes(name);
  const machine = machineInfo();
  say(`machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB, load average ${machine.loadAverageAtStart.join(' ')}`);
  say(`settings: ${options.rounds} rounds of ${options.duration}s after a ${options.warmup}s warm-up, ${options.connections} connections at saturation`);
  const rows: Row[] = [];
  const raw: Record<string, unknown> = {};
  let infra: BenchInfrastructure | null = null;
  try {
    infra = await startBenchInfrastructure(say);
    if (wants('pipeline')) await benchPipeline(options, infra.infra.kafkaBrokers, rows, raw);

    if (wants('intake')) {
      say('intake: starting intake alone and the bare Express INSERT baseline');
      const intake = new IntakeBench();
      await intake.start();
      try {
        const pair = await benchHttpPair('intake POST /v1/incidents', intake, options);
        raw.intake = pair;
        rows.push(...httpRows('intake POST /v1/incidents', pair));
      } finally {
        await intake.stop();
      }
    }

    if (wants('settlement')) {
      say('settlement: starting settlement alone and the bare Express lookup baseline');
      const settlement = new SettlementBench(say);
      await settlement.start(2000);
      try {
        const pair = await benchHttpPair('settlement GET /v1/payments/:ref', settlement, options);
        raw.settlement = pair;
        rows.push(...httpRows('settlement GET /v1/payments/:ref', pair, 0.5));
      } finally {
        await settlement.stop();
      }
    }
  } finally {
    if (infra) {
      say('stopping the infrastructure');
      await infra.stop();
    }
  }

  if (wants('recon')) {
    say('bulk reconciliation: looking for `npm run bench:recon`');
    const recon = await runBulkReconciliation(say);
    raw.bulkReconciliation = recon;
    rows.push({
      scenario: 'bulk reconciliation',
      metric: 'npm run bench:recon',
      unit: '-',
      measured: null,
      baseline: null,
      note: recon.available ? `ran (exit ${recon.exitCode}); figures: ${recon.output.slice(-1)[0] ?? 'none'}` : 'not available in this build',
    });
  }

  const table = renderTable(rows);
  const outFile = path.resolve(projectRoot(), options.output);
  fs.writeFileSync(
    outFile,
    `${JSON.stringify({ finishedAt: new Date().toISOString(), durationSeconds: Math.round((Date.now() - began) / 1000), machine, options, rows, rounds: raw }, null, 2)}\n`,
  );
  process.stdout.write(
    `\n${table}\n\nmedian of ${options.rounds} rounds, (min–max) across rounds; ratio = measured / baseline, or for p99 goals the gap in ms.\n`,
  );
  say(`results written to ${path.relative(projectRoot(), outFile)}; total ${Math.round((Date.now() - began) / 1000)}s`);
  return 0;
}

withUsage('bench', BENCH_USAGE, main).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`[bench] failed: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
