import type { KafkaClient } from '@pt/kafka';
import { KafkaReadiness } from './kafka-readiness.js';

/** Counts what the readiness check asks of the Kafka client; `answer` decides each metadata request. */
function fakeKafka(answer: () => Promise<void>) {
  const calls = { connect: 0, disconnect: 0, describeCluster: 0 };
  const admin = {
    connect: async () => {
      calls.connect += 1;
    },
    disconnect: async () => {
      calls.disconnect += 1;
    },
    describeCluster: async () => {
      calls.describeCluster += 1;
      await answer();
    },
  };
  return { kafka: { admin: () => admin } as unknown as KafkaClient, calls };
}

describe('KafkaReadiness', () => {
  it('connects once and reuses the connection for every check', async () => {
    const { kafka, calls } = fakeKafka(async () => undefined);
    const readiness = new KafkaReadiness(kafka);
    for (let i = 0; i < 5; i += 1) await readiness.check(1000);
    expect(calls).toEqual({ connect: 1, disconnect: 0, describeCluster: 5 });
  });

  it('answers concurrent checks with one request', async () => {
    let release!: () => void;
    const { kafka, calls } = fakeKafka(() => new Promise<void>((resolve) => (release = resolve)));
    const readiness = new KafkaReadiness(kafka);
    const checks = Array.from({ length: 10 }, () => readiness.check(1000));
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await Promise.all(checks);
    expect(calls.describeCluster).toBe(1);
  });

  it('fails a check that takes too long, and reconnects only after a failure', async () => {
    let fail = true;
    const { kafka, calls } = fakeKafka(async () => {
      if (fail) throw new Error('Connection error: ECONNREFUSED');
    });
    const readiness = new KafkaReadiness(kafka);
    await expect(readiness.check(1000)).rejects.toThrow('ECONNREFUSED');
    fail = false;
    await readiness.check(1000);
    await readiness.check(1000);
    expect(calls).toEqual({ connect: 2, disconnect: 1, describeCluster: 3 });

    const { kafka: slow } = fakeKafka(() => new Promise<void>(() => undefined));
    await expect(new KafkaReadiness(slow).check(20)).rejects.toThrow('timed out after 20 ms');
  });
});
