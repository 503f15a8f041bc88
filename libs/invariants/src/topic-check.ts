import { physicalTopic } from '@pt/contracts';
import type { Kafka } from 'kafkajs';
import type { InvariantCheckResult, InvariantDatabases, InvariantOptions } from './invariant-checks.js';

/** Event ids found on a topic, read from the beginning to the current end of every partition. */
export async function eventIdsOnTopic(kafka: Kafka, topic: string, timeoutMs = 60_000): Promise<Set<string>> {
  const admin = kafka.admin();
  await admin.connect();
  const ids = new Set<string>();
  const groupId = `invariant-check-${crypto.randomUUID()}`;
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    const remaining = new Map(offsets.filter((o) => BigInt(o.high) > BigInt(o.low)).map((o) => [o.partition, BigInt(o.high)]));
    if (remaining.size === 0) return ids;
    const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`reading ${topic} took longer than ${timeoutMs / 1000}s`)), timeoutMs);
        void consumer.run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const header = message.headers?.['x-event-id'];
            let id = header ? String(header) : null;
            if (!id && message.value) {
              try {
                id = (JSON.parse(message.value.toString()) as { eventId?: string }).eventId ?? null;
              } catch {
                id = null;
              }
            }
            if (id) ids.add(id);
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
    return ids;
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

/**
 * Every outbox row marked published is on its topic: the relay marks a row only after the
 * broker acknowledged it, so a row that is missing there was lost by the broker.
 */
export async function checkPublishedOnTopics(
  dbs: InvariantDatabases,
  kafka: Kafka,
  topicPrefix: string,
  options: Pick<InvariantOptions, 'sampleSize'>,
): Promise<InvariantCheckResult> {
  const expected = new Map<string, { schema: string; eventId: string }[]>();
  for (const schema of ['intake', 'reconciliation', 'settlement'] as const) {
    const { rows } = await dbs[schema].query<{ topic: string; event_id: string }>(
      `SELECT topic, event_id::text FROM "${schema}".outbox WHERE published_at IS NOT NULL`,
    );
    for (const row of rows) {
      const list = expected.get(row.topic) ?? [];
      list.push({ schema, eventId: row.event_id });
      expected.set(row.topic, list);
    }
  }
  const samples: string[] = [];
  let violations = 0;
  for (const [topic, events] of expected) {
    const found = await eventIdsOnTopic(kafka, physicalTopic(topicPrefix, topic));
    for (const event of events) {
      if (found.has(event.eventId)) continue;
      violations += 1;
      if (samples.length < options.sampleSize) samples.push(`${event.schema} outbox event ${event.eventId} marked published but not on ${topic}`);
    }
  }
  return { name: 'published-on-topic', rule: 'every outbox event marked published is on its topic', violations, samples };
}
