import os from 'node:os';
import { TOPICS } from '@pt/contracts';
import { checkInvariants, checkPublishedOnTopics, formatInvariantReport, type InvariantCheckResult, type InvariantReport } from '@pt/invariants';
import { Upstream } from '@pt/upstream';
import type { DedicatedBroker } from '../fault-tools.js';
import { Supervisor, terminateServiceConnections } from '../fault-tools.js';
import { CONSUMED_TOPICS, poisonMessagesFor } from '../poison.js';
import { Prng } from '../prng.js';
import type { Suite } from '../suite.js';
import { importCardKeys, markedSecrets } from '../triage-helpers.js';
import {
  ReportSender,
  owedUnits,
  planOrders,
  publishLateClearing,
  publishUpstream,
  retrying,
  waitForMirrored,
  workloadViolations,
  type PlannedOrder,
} from '../workload.js';

export const FAULT_KINDS = [
  'kill-reconciliation',
  'kill-intake',
  'kill-settlement',
  'crash-point',
  'broker-outage',
  'pg-terminate',
  'poison',
  'replay',
  'second-replica',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface SoakOptions {
  minutes: number;
  seed: number;
  /** Reports filed per second, on average. */
  rate: number;
  /** Mean pause between two faults, in seconds. */
  faultEverySeconds: number;
  /** The broker the soak may kill; absent when it runs on brokers it does not own. */
  broker: DedicatedBroker | null;
  say: (line: string) => void;
}

export interface MinuteLine {
  minute: number;
  accepted: number;
  decided: number;
  issuances: number;
  faults: number;
  retries: number;
  /** The machine's one-minute load average: other work on the machine shows here. */
  load: number;
}

export interface FaultRecord {
  at: number;
  kind: FaultKind;
  detail: string;
}

export interface SoakResult {
  seed: number;
  minutes: number;
  planned: number;
  accepted: number;
  issuances: number;
  /** Card keys owed: one per unit of each acknowledged order that is owed a re-issue. */
  owed: number;
  faults: FaultRecord[];
  crashes: number;
  perMinute: MinuteLine[];
  workloadProblems: string[];
  invariants: InvariantReport;
  published: InvariantCheckResult | null;
  ok: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const BATCH_SECONDS = 15;

/**
 * Runs the fault tests' mix of reports for a while against a suite, with faults of every
 * kind injected at random. Every random choice comes from PRNGs seeded with `seed`: the
 * same seed gives the same orders and the same fault schedule (kinds, times, parameters).
 */
export async function runSoak(suite: Suite, options: SoakOptions): Promise<SoakResult> {
  const { say } = options;
  const workRng = new Prng(options.seed);
  const faultRng = new Prng(options.seed ^ 0x5eed);
  const up = new Upstream(suite.publisher);
  const sender = new ReportSender(() => suite.url('intake'), suite.channelKey, 600_000);
  const supervisor = new Supervisor(suite, {
    onRestart: (crash) => say(`  ${crash.service} exited (${crash.signal ?? `code ${crash.code}`}); restarted`),
  }).watch('intake', 'reconciliation', 'settlement');
  const planned: PlannedOrder[] = [];
  const faults: FaultRecord[] = [];
  const perMinute: MinuteLine[] = [];
  const started = Date.now();
  const endAt = started + options.minutes * 60_000;
  let stock = 0;
  let owedSoFar = 0;

  const topUpStock = async (needed: number) => {
    while (stock - owedSoFar < needed + 50) {
      const keys = markedSecrets(`soak${stock}`, 500).map((secret) => ({ sku: 'SKU-SOAK', secret }));
      await retrying(
        'importing card keys',
        async () => {
          const answer = await importCardKeys(suite, keys);
          if (answer.status !== 200) throw new Error(`import answered ${answer.status}`);
        },
        600_000,
      );
      stock += keys.length;
    }
  };

  // Reports, a batch every BATCH_SECONDS; each batch's late clearing once its reports are decided.
  const lateClearing: PlannedOrder[][] = [];
  const releaseLateClearing = async (all: boolean) => {
    while (lateClearing.length > 0) {
      const orders = lateClearing[0];
      const ids = orders.map((o) => sender.acknowledged.get(o.order.orderNumber)?.incidentId).filter(Boolean);
      const { rows } = await suite.db.query(`SELECT count(*)::int AS n FROM intake.incidents WHERE id = ANY($1::uuid[]) AND reason_code IS NOT NULL`, [ids]);
      if (rows[0].n < ids.length && !all) return;
      lateClearing.shift();
      await publishLateClearing(up, orders, 600_000);
    }
  };

  const injectFault = async (kind: FaultKind, p: number): Promise<string> => {
    switch (kind) {
      case 'kill-reconciliation':
      case 'kill-intake':
      case 'kill-settlement': {
        const name = kind.slice('kill-'.length) as 'reconciliation' | 'intake' | 'settlement';
        suite.services[name]?.child.kill('SIGKILL');
        return `(SIGKILL ${name})`;
      }
      case 'crash-point': {
        const point = (['after-commit-before-offset', 'mid-issuance', 'relay-after-send'] as const)[Math.floor(p * 3)];
        const after = 1 + (Math.floor(p * 1000) % 40);
        const topic = point === 'after-commit-before-offset' ? TOPICS.incidentReported : '';
        await supervisor.restartWith('reconciliation', { FAULT_CRASH_POINT: point, FAULT_CRASH_AFTER: String(after), FAULT_CRASH_TOPIC: topic });
        return `(reconciliation restarted to die at ${point} #${after})`;
      }
      case 'broker-outage': {
        if (!options.broker) return "(skipped: the brokers are not the soak's own)";
        const downMs = 5000 + Math.floor(p * 40_000);
        await options.broker.kill();
        await sleep(downMs);
        await options.broker.start();
        return `(broker SIGKILLed, down ${(downMs / 1000).toFixed(0)} s before its restart)`;
      }
      case 'pg-terminate': {
        const stormMs = 3000 + Math.floor(p * 12_000);
        const stormEnd = Date.now() + stormMs;
        let terminated = 0;
        while (Date.now() < stormEnd) {
          terminated += await terminateServiceConnections(suite.db, ['intake', 'reconciliation', 'settlement'], true);
          await sleep(150 + Math.floor(p * 250));
        }
        return `(${terminated} connections terminated over ${(stormMs / 1000).toFixed(0)} s)`;
      }
      case 'poison': {
        const count = 3 + Math.floor(p * 8);
        const topics = [...new Set(Object.values(CONSUMED_TOPICS).flat())];
        for (let i = 0; i < count; i += 1) {
          const key = planned.length > 0 ? faultRng.pick(planned).order.orderNumber : `SOAK-POISON-${i}`;
          const message = faultRng.pick(poisonMessagesFor(faultRng.pick(topics), key));
          await retrying('publishing poison', () => suite.publisher.publishRaw(message.topic, message.key, message.value), 600_000);
        }
        return `(${count} poison messages)`;
      }
      case 'replay': {
        const recent = planned.slice(-Math.min(planned.length, 40 + Math.floor(p * 80)));
        const copies = faultRng.shuffle([...recent, ...recent, ...recent]);
        await publishUpstream(up, copies, 600_000);
        return `(the upstream events of ${recent.length} orders published three more times, shuffled)`;
      }
      case 'second-replica': {
        const lifeMs = 15_000 + Math.floor(p * 60_000);
        const replica = await suite.startInstance('reconciliation');
        await sleep(lifeMs);
        replica.child.kill('SIGKILL');
        await replica.exited;
        return `(a second reconciliation replica ran ${(lifeMs / 1000).toFixed(0)} s, then SIGKILL)`;
      }
    }
  };

  const workload = (async () => {
    for (let batch = 0; Date.now() < endAt; batch += 1) {
      const due = started + batch * BATCH_SECONDS * 1000;
      if (Date.now() < due) await sleep(due - Date.now());
      const orders = planOrders(Math.max(1, Math.round(options.rate * BATCH_SECONDS)), {
        label: `soak${options.seed}-${batch}`,
        sku: 'SKU-SOAK',
        rng: workRng,
        maxQuantity: 5,
      });
      planned.push(...orders);
      owedSoFar += owedUnits(orders);
      await topUpStock(owedUnits(orders));
      await publishUpstream(up, orders, 600_000);
      await waitForMirrored(suite.db, orders, 600_000);
      await sender.sendAll(orders, 4, 600_000);
      lateClearing.push(orders);
      await releaseLateClearing(false);
    }
  })();

  // One fault at a time, at random moments.
  let running = true;
  const faultLoop = (async () => {
    while (running) {
      const wait = faultRng.exponential(options.faultEverySeconds * 1000);
      const kind = faultRng.pick(FAULT_KINDS);
      const parameter = faultRng.next();
      const until = Date.now() + wait;
      while (running && Date.now() < until) await sleep(Math.min(500, until - Date.now()));
      if (!running || Date.now() > endAt) break;
      const detail = await injectFault(kind, parameter).catch((error: Error) => `failed to inject: ${error.message}`);
      faults.push({ at: Date.now() - started, kind, detail });
      say(`  fault ${faults.length} at ${((Date.now() - started) / 60_000).toFixed(1)} min: ${kind} ${detail}`);
    }
  })();

  // A line a minute.
  const reporter = setInterval(() => {
    void (async () => {
      const minute = Math.round((Date.now() - started) / 60_000);
      const { rows } = await suite.db.query(
        `SELECT (SELECT count(*) FROM intake.incidents WHERE reason_code IS NOT NULL)::int AS decided,
                (SELECT count(*) FROM reconciliation.issuances)::int AS issuances`,
      );
      const line: MinuteLine = {
        minute,
        accepted: sender.acknowledged.size,
        decided: rows[0].decided,
        issuances: rows[0].issuances,
        faults: faults.length,
        retries: sender.retries,
        load: os.loadavg()[0],
      };
      const previous = perMinute[perMinute.length - 1];
      perMinute.push(line);
      say(
        `minute ${String(minute).padStart(3)}: accepted ${line.accepted} (+${line.accepted - (previous?.accepted ?? 0)}), decided ${line.decided} (+${line.decided - (previous?.decided ?? 0)}), ` +
          `issuances ${line.issuances} (+${line.issuances - (previous?.issuances ?? 0)}), faults ${line.faults}, crashes ${supervisor.crashes.length}, report retries ${line.retries}, load ${line.load.toFixed(1)}`,
      );
    })().catch((error: Error) => say(`minute line failed: ${error.message}`));
  }, 60_000);

  try {
    await workload;
  } finally {
    running = false;
    await faultLoop;
    clearInterval(reporter);
  }
  say(`load done after ${((Date.now() - started) / 60_000).toFixed(1)} min; waiting for the system to settle`);
  if (options.broker && !options.broker.up) await options.broker.start();
  await supervisor.settled();
  const settleDeadline = Date.now() + 15 * 60_000;
  // Waiting incidents need their late clearing before they can end.
  while (lateClearing.length > 0 && Date.now() < settleDeadline) {
    await releaseLateClearing(false);
    if (lateClearing.length > 0) await sleep(1000);
  }
  await releaseLateClearing(true);

  let problems: string[];
  let invariants: InvariantReport;
  for (;;) {
    problems = await workloadViolations(suite.db, planned, sender);
    invariants = await checkInvariants(suite.db, { settleWindowMs: 0, publishWindowMs: 0 });
    if ((problems.length === 0 && invariants.ok) || Date.now() > settleDeadline) break;
    await sleep(2000);
  }
  supervisor.stop();
  const published = await checkPublishedOnTopics({ intake: suite.db, reconciliation: suite.db, settlement: suite.db }, suite.kafka, suite.prefix, {
    sampleSize: 5,
  }).catch((error: Error) => ({
    name: 'published-on-topic',
    rule: 'every outbox event marked published is on its topic',
    violations: 1,
    samples: [`could not read the topics: ${error.message}`],
  }));
  const { rows } = await suite.db.query(`SELECT count(*)::int AS n FROM reconciliation.issuances`);
  say(formatInvariantReport(invariants, [published]));
  return {
    seed: options.seed,
    minutes: options.minutes,
    planned: planned.length,
    accepted: sender.acknowledged.size,
    issuances: rows[0].n,
    owed: owedUnits(planned.filter((p) => sender.acknowledged.has(p.order.orderNumber))),
    faults,
    crashes: supervisor.crashes.length,
    perMinute,
    workloadProblems: problems,
    invariants,
    published,
    ok: problems.length === 0 && invariants.ok && published.violations === 0,
  };
}
