import kafkajs from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { javaCompatiblePartitioner } from './platformatic-client.js';

const { Partitioners } = kafkajs;

/** Where kafkajs's JavaCompatiblePartitioner, which the suite used so far, puts a key. */
function kafkajsPartitionOf(key: string, partitions: number): number {
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({
    partitionId,
    partitionErrorCode: 0,
    leader: 1,
    replicas: [1],
    isr: [1],
  }));
  return Partitioners.JavaCompatiblePartitioner()({ topic: 't', partitionMetadata, message: { key, value: null } });
}

/** The keys the suite uses: order numbers, ids, and some with bytes outside ASCII. */
const KEYS = [
  ...Array.from({ length: 2000 }, (_, i) => `DEMO-${1000 + i}`),
  ...Array.from({ length: 2000 }, () => randomUUID()),
  ...Array.from({ length: 200 }, (_, i) => `订单-${i}-${'é'.repeat(i % 7)}`),
  '',
  'x',
];

describe('the Java-compatible partitioner of the @platformatic/kafka adapter', () => {
  it('puts every key on the partition kafkajs (and Java) puts it, for every partition count the suite uses', () => {
    const partitionOf = javaCompatiblePartitioner();
    for (const partitions of [1, 3, 6, 12]) {
      const differing = KEYS.filter((key) => partitionOf(Buffer.from(key)) % partitions !== kafkajsPartitionOf(key, partitions));
      expect(differing).toEqual([]);
    }
  });

  it("matches the murmur2 values of Kafka's own Java tests", () => {
    // Utils.toPositive(Utils.murmur2(bytes)) for the cases of Kafka's UtilsTest.
    const partitionOf = javaCompatiblePartitioner();
    for (const [key, hash] of [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ] as const) {
      expect(partitionOf(Buffer.from(key))).toBe(hash & 0x7fffffff);
    }
  });

  it('sends messages without a key round the partitions', () => {
    const partitionOf = javaCompatiblePartitioner();
    expect([0, 1, 2, 3, 4, 5].map(() => partitionOf(undefined) % 3)).toEqual([0, 1, 2, 0, 1, 2]);
  });
});
