import { physicalTopic } from '@pt/contracts';
import { readTopicToEnd, type KafkaClient } from '@pt/kafka';
import type { InvariantCheckResult, InvariantDatabases, InvariantOptions } from './invariant-checks.js';

/** Event ids found on a topic, read from the beginning to the current end of every partition. */
export async function eventIdsOnTopic(kafka: KafkaClient, topic: string, timeoutMs = 60_000): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const message of await readTopicToEnd(kafka, topic, { groupPrefix: 'invariant-check', timeoutMs })) {
    let id: string | null = message.headers['x-event-id']?.toString() ?? null;
    if (!id && message.value) {
      try {
        id = (JSON.parse(message.value.toString()) as { eventId?: string }).eventId ?? null;
      } catch {
        id = null;
      }
    }
    if (id) ids.add(id);
  }
  return ids;
}

/**
 * Every outbox row marked published is on its topic: the relay marks a row only after the
 * broker acknowledged it, so a row that is missing there was lost by the broker.
 */
export async function checkPublishedOnTopics(
  dbs: InvariantDatabases,
  kafka: KafkaClient,
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
