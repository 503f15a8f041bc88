import { TOPIC_PARTITIONS, TOPICS } from '@pt/contracts';
import { CORRELATION_HEADER } from '@pt/observability';
import { waitForLeaders, type KafkaClient, type KafkaProducer } from '@pt/kafka';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { ArrivalWatcher, RoundTracker } from '../arrivals.js';
import { paced } from '../pacing.js';
import { quantile } from '../stats.js';

export interface KafkaRoundResult {
  /** Messages consumed per second, from the first send to the last arrival. */
  throughput: number;
  p50: number;
  p99: number;
  missing: number;
}

/**
 * The raw limit of the broker as the services use it: a producer of the given client
 * (acks=all, Java-compatible partitioner, the envelope's headers) sends one message at a
 * time per sender to a topic with as many partitions as incident.triaged, and a consumer
 * of its own group reads them back. No database, no HTTP.
 */
export class RawKafkaRoundTrip {
  private producer: KafkaProducer | null = null;
  private watcher: ArrivalWatcher | null = null;
  private readonly topic: string;

  constructor(
    private readonly kafka: KafkaClient,
    prefix: string,
  ) {
    this.topic = `${prefix}.bench.roundtrip`;
  }

  async start(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics([{ topic: this.topic, numPartitions: TOPIC_PARTITIONS[TOPICS.incidentTriaged], replicationFactor: 1 }]);
      await waitForLeaders(admin, [this.topic], 30_000);
    } finally {
      await admin.disconnect();
    }
    this.producer = this.kafka.producer();
    await this.producer.connect();
    this.watcher = new ArrivalWatcher(this.kafka, this.topic);
    await this.watcher.start();
  }

  async round(options: { senders: number; durationMs: number; rate?: number; valueSize: number }): Promise<KafkaRoundResult> {
    const tracker = new RoundTracker();
    this.watcher!.current = tracker;
    const filler = randomBytes(Math.max(1, Math.ceil(options.valueSize / 2)))
      .toString('hex')
      .slice(0, options.valueSize);
    const perSender = options.rate ? options.rate / options.senders : undefined;
    await paced(options.senders, options.durationMs, perSender, async () => {
      const key = `RT-${crypto.randomUUID()}`;
      tracker.sent(key, performance.now());
      await this.producer!.send([
        { topic: this.topic, messages: [{ key, value: filler, headers: { [CORRELATION_HEADER]: key, 'x-event-type': 'bench.roundtrip', 'x-event-id': key } }] },
      ]);
      tracker.accepted(key);
    });
    const missing = await tracker.drain(30_000);
    this.watcher!.current = null;
    return { throughput: tracker.throughput(), p50: quantile(tracker.latencies, 0.5), p99: quantile(tracker.latencies, 0.99), missing };
  }

  async stop(): Promise<void> {
    await this.watcher?.stop();
    await this.producer?.disconnect();
  }
}
