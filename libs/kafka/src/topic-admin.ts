import { allTopicSpecs } from '@pt/contracts';
import type { KafkaAdmin, KafkaClient } from './port.js';

export async function waitForLeaders(admin: KafkaAdmin, topics: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const metadata = await admin.partitionLeaders(topics);
      if (metadata.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
    } catch (error) {
      // A topic created a moment ago may not be known to every broker yet.
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`topics have no leader after ${timeoutMs} ms: ${topics.join(', ')}${last ? ` (${(last as Error).message})` : ''}`);
}

/**
 * Creates every topic of the suite, and its dead-letter twin, with its partition count,
 * then waits until each partition has a leader. Topics that already exist are left
 * alone. Returns the names created now.
 */
export async function ensureTopics(kafka: KafkaClient, prefix: string, replicationFactor = 1): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const specs = allTopicSpecs(prefix);
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !existing.has(spec.topic));
    if (missing.length > 0) {
      try {
        await admin.createTopics(missing.map((spec) => ({ ...spec, replicationFactor })));
      } catch (error) {
        // Another replica may have created some of them in the meantime.
        if (!/already exists/i.test(String((error as Error).message))) throw error;
      }
    }
    await waitForLeaders(
      admin,
      specs.map((s) => s.topic),
      30_000,
    );
    return missing.map((spec) => spec.topic);
  } finally {
    await admin.disconnect();
  }
}
