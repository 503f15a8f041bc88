import { allTopicSpecs } from '@pt/contracts';
import type { Kafka } from 'kafkajs';

/**
 * Creates every topic of the suite, and its dead-letter twin, with its partition count.
 * Topics that already exist are left alone. Returns the names created now.
 */
export async function ensureTopics(kafka: Kafka, prefix: string, replicationFactor = 1): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = allTopicSpecs(prefix).filter((spec) => !existing.has(spec.topic));
    if (missing.length === 0) return [];
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((spec) => ({ ...spec, replicationFactor })),
      });
    } catch (error) {
      // Another replica may have created some of them in the meantime.
      if (!/already exists/i.test(String((error as Error).message))) throw error;
    }
    return missing.map((spec) => spec.topic);
  } finally {
    await admin.disconnect();
  }
}
