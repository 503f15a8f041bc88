import type { ConsumedMessage, KafkaClient } from './port.js';

export interface ReadToEndOptions {
  /** Name prefix of the throw-away consumer group (deleted afterwards). */
  groupPrefix: string;
  timeoutMs: number;
}

/**
 * Everything on a topic right now: every partition from its earliest offset up to its
 * end as it was when the read began. Reads with a throw-away group that commits nothing
 * and is deleted afterwards, so it disturbs no consumer.
 */
export async function readTopicToEnd(kafka: KafkaClient, topic: string, options: ReadToEndOptions): Promise<ConsumedMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `${options.groupPrefix}-${crypto.randomUUID()}`;
  const out: ConsumedMessage[] = [];
  try {
    const offsets = await admin.topicOffsets(topic);
    const remaining = new Map(offsets.filter((o) => BigInt(o.high) > BigInt(o.low)).map((o) => [o.partition, BigInt(o.high)]));
    if (remaining.size === 0) return out;
    const consumer = kafka.consumer({ groupId });
    await consumer.connect();
    try {
      await consumer.subscribe([topic], true);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`reading ${topic} took longer than ${options.timeoutMs / 1000} s`)), options.timeoutMs);
        consumer
          .run({
            eachMessage: async ({ message }) => {
              const high = remaining.get(message.partition);
              if (high === undefined) return;
              out.push(message);
              if (BigInt(message.offset) + 1n >= high) remaining.delete(message.partition);
              if (remaining.size === 0) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .catch((error: unknown) => {
            clearTimeout(timer);
            reject(error instanceof Error ? error : new Error(String(error)));
          });
      });
    } finally {
      await consumer.disconnect();
    }
    return out;
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}
