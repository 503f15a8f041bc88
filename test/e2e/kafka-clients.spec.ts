import { loadKafkaSecurity } from '@pt/config';
import { createKafkaClient, readTopicToEnd, waitForLeaders, type KafkaClientKind } from '@pt/kafka';
import { randomBytes } from 'node:crypto';

/**
 * Both Kafka clients behind libs/kafka's port, against the test broker: a key lands on the
 * same partition whichever client wrote it (Java's murmur2 placement), and what one writes
 * the other reads back with its key and headers.
 */
describe('the two Kafka clients behind the port', () => {
  const prefix = `t${randomBytes(4).toString('hex')}`;
  const clientOf = (client: KafkaClientKind) =>
    createKafkaClient({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: `clients-${client}-${prefix}`, security: loadKafkaSecurity(), client });
  const keys = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? `ORDER-${i}` : i % 3 === 1 ? crypto.randomUUID() : `订单-${i}`));

  it('put every key on the same partition, and read what the other wrote', async () => {
    const placements: Record<string, Map<string, number>> = {};
    for (const writer of ['kafkajs', 'platformatic'] as const) {
      const reader = writer === 'kafkajs' ? 'platformatic' : 'kafkajs';
      const topic = `${prefix}.placement-${writer}`;
      const admin = clientOf(writer).admin();
      await admin.connect();
      try {
        await admin.createTopics([{ topic, numPartitions: 6 }]);
        await waitForLeaders(admin, [topic], 30_000);
      } finally {
        await admin.disconnect();
      }
      const producer = clientOf(writer).producer();
      await producer.connect();
      try {
        await producer.send([{ topic, messages: keys.map((key) => ({ key, value: `value of ${key}`, headers: { 'x-written-by': writer } })) }]);
      } finally {
        await producer.disconnect();
      }
      const read = await readTopicToEnd(clientOf(reader), topic, { groupPrefix: 'clients', timeoutMs: 60_000 });
      // Neither producer is idempotent: a send retried after a timeout may write a message twice.
      const partitionsOf = new Map<string, Set<number>>();
      for (const message of read) {
        const key = message.key!.toString();
        expect(message.value?.toString()).toBe(`value of ${key}`);
        expect(message.headers['x-written-by']?.toString()).toBe(writer);
        partitionsOf.set(key, (partitionsOf.get(key) ?? new Set()).add(message.partition));
      }
      expect([...partitionsOf.keys()].sort()).toEqual([...keys].sort());
      for (const [key, partitions] of partitionsOf) expect([key, partitions.size]).toEqual([key, 1]);
      placements[writer] = new Map([...partitionsOf].map(([key, partitions]) => [key, [...partitions][0]]));
      // The keys spread over the partitions rather than piling on one.
      expect(new Set(placements[writer].values()).size).toBe(6);
    }
    for (const key of keys) expect([key, placements.platformatic.get(key)]).toEqual([key, placements.kafkajs.get(key)]);
  });
});
