import type { Consumer, Kafka } from 'kafkajs';
import { performance } from 'node:perf_hooks';

/** Messages sent (or reports posted) in one round, and when each one came back out of Kafka. */
export class RoundTracker {
  private readonly sentAt = new Map<string, number>();
  /** Sends that were acknowledged (HTTP 201, broker ack) and must come out the other end. */
  private readonly awaited = new Set<string>();
  readonly latencies: number[] = [];
  firstSentAt = Number.POSITIVE_INFINITY;
  lastArrivedAt = 0;

  sent(key: string, at = performance.now()): void {
    this.sentAt.set(key, at);
    if (at < this.firstSentAt) this.firstSentAt = at;
  }

  accepted(key: string): void {
    if (this.sentAt.has(key)) this.awaited.add(key);
  }

  arrived(key: string, at: number): boolean {
    const sent = this.sentAt.get(key);
    if (sent === undefined) return false;
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
 * A kafkajs consumer of its own group that reads a topic from its end and hands each
 * message's key to the current round, stamped with the moment it was consumed.
 */
export class ArrivalWatcher {
  private consumer: Consumer | null = null;
  current: RoundTracker | null = null;
  /** Size in bytes of the values seen, to size the raw baseline's messages alike. */
  readonly valueSizes: number[] = [];

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
  ) {}

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: `bench-${crypto.randomUUID()}`, allowAutoTopicCreation: false });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topic: this.topic, fromBeginning: false });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      partitionsConsumedConcurrently: 6,
      eachMessage: async ({ message }) => {
        const at = performance.now();
        const key = message.key?.toString();
        if (key && this.current?.arrived(key, at) && this.valueSizes.length < 1000) this.valueSizes.push(message.value?.length ?? 0);
      },
    });
    await joined;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = null;
  }
}
