import { physicalTopic } from '@pt/contracts';
import type { Kafka } from 'kafkajs';

export interface ReadMessage {
  key: string | null;
  value: string;
  headers: Record<string, string>;
  partition: number;
  offset: string;
}

/** Reads what is on a topic right now, from the beginning, without joining a group. */
export class TopicReader {
  constructor(
    private readonly kafka: Kafka,
    private readonly prefix: string,
  ) {}

  async readAll(topic: string): Promise<ReadMessage[]> {
    const name = physicalTopic(this.prefix, topic);
    const admin = this.kafka.admin();
    await admin.connect();
    let offsets: { partition: number; high: string; low: string }[];
    try {
      offsets = await admin.fetchTopicOffsets(name);
    } finally {
      await admin.disconnect();
    }
    const wanted = offsets.filter((o) => BigInt(o.high) > BigInt(o.low));
    if (wanted.length === 0) return [];
    const out: ReadMessage[] = [];
    const consumer = this.kafka.consumer({ groupId: `reader-${crypto.randomUUID()}` });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: name, fromBeginning: true });
      const remaining = new Map(wanted.map((o) => [o.partition, BigInt(o.high)]));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`reading ${name} timed out`)), 20_000);
        void consumer.run({
          eachMessage: async ({ partition, message }) => {
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = String(v);
            out.push({ key: message.key?.toString() ?? null, value: message.value?.toString() ?? '', headers, partition, offset: message.offset });
            const high = remaining.get(partition);
            if (high !== undefined && BigInt(message.offset) + 1n >= high) remaining.delete(partition);
            if (remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        });
      });
    } finally {
      await consumer.disconnect();
    }
    return out;
  }

  /** Parsed envelopes on a topic. */
  async envelopes<T = Record<string, unknown>>(topic: string): Promise<{ type: string; eventId: string; correlationId: string; payload: T }[]> {
    return (await this.readAll(topic)).map((m) => JSON.parse(m.value));
  }
}
