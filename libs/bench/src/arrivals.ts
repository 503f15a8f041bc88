import type { KafkaClient, KafkaConsumer } from '@pt/kafka';
import { performance } from 'node:perf_hooks';

/** Messages sent (or reports posted) in one round, and when each one came back out of Kafka. */
export class RoundTracker {
  private readonly sentAt = new Map<string, number>();
  /** Sends that were acknowledged (HTTP 201, broker ack) and must come out the other end. */
  private readonly awaited = new Set<string>();
  readonly latencies: number[] = [];
  firstSentAt = Number.POSITIVE_INFINITY;
  /** Wall-clock send time, and Kafka CreateTime of the intermediate and final events, per key. */
  readonly sentWall = new Map<string, number>();
  readonly midStamp = new Map<string, number>();
  /** Per arrival: ms before the intermediate event was produced, between it and the final one, and from that to consumption. */
  readonly stages: [number, number, number][] = [];
  lastArrivedAt = 0;

  sent(key: string, at = performance.now()): void {
    this.sentAt.set(key, at);
    this.sentWall.set(key, Date.now());
    if (at < this.firstSentAt) this.firstSentAt = at;
  }

  accepted(key: string): void {
    if (this.sentAt.has(key)) this.awaited.add(key);
  }

  arrived(key: string, at: number, createTime?: number): boolean {
    const sent = this.sentAt.get(key);
    if (sent === undefined) return false;
    const wall = this.sentWall.get(key);
    const mid = this.midStamp.get(key);
    if (wall !== undefined && mid !== undefined && createTime !== undefined) this.stages.push([mid - wall, createTime - mid, Date.now() - createTime]);
    this.sentAt.delete(key);
    this.awaited.delete(key);
    this.latencies.push(at - sent);
    if (at > this.lastArrivedAt) this.lastArrivedAt = at;
    return true;
  }

  get outstanding(): number {
    return this.awaited.size;
  }

  /** Waits until everything sent has arrived, or the deadline passes; answers how many are missing. */
  async drain(timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.outstanding > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    return this.outstanding;
  }

  /** Arrivals per second from the first send to the last arrival. */
  throughput(): number {
    if (this.latencies.length === 0) return 0;
    return this.latencies.length / ((this.lastArrivedAt - this.firstSentAt) / 1000);
  }
}

/**
 * A consumer of its own group that reads a topic from its end and hands each
 * message's key to the current round, stamped with the moment it was consumed.
 */
export class ArrivalWatcher {
  private consumer: KafkaConsumer | null = null;
  current: RoundTracker | null = null;
  /** Size in bytes of the values seen, to size the raw baseline's messages alike. */
  readonly valueSizes: number[] = [];

  /**
   * @param onlyStamp record the message's CreateTime as the round's intermediate stage
   *   (e.g. incident.reported on the way to incident.triaged) instead of an arrival
   */
  constructor(
    private readonly kafka: KafkaClient,
    private readonly topic: string,
    private readonly onlyStamp = false,
  ) {}

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: `bench-${crypto.randomUUID()}` });
    this.consumer = consumer;
    const joined = new Promise<void>((resolve) => consumer.onGroupJoin(() => resolve()));
    await consumer.connect();
    await consumer.subscribe([this.topic], false);
    await consumer.run({
      partitionsConsumedConcurrently: 6,
      eachMessage: async ({ message }) => {
        const at = performance.now();
        const key = message.key?.toString();
        if (!key || !this.current) return;
        if (this.onlyStamp) {
          this.current.midStamp.set(key, Number(message.timestamp));
          return;
        }
        if (this.current.arrived(key, at, Number(message.timestamp)) && this.valueSizes.length < 1000) this.valueSizes.push(message.value?.length ?? 0);
      },
    });
    await joined;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = null;
  }
}
