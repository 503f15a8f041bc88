import { physicalTopic } from '@pt/contracts';
import { readTopicToEnd, type KafkaClient } from '@pt/kafka';

export interface ReadMessage {
  key: string | null;
  value: string;
  headers: Record<string, string>;
  partition: number;
  offset: string;
}

/** Reads what is on a topic right now, from the beginning, without committing anything. */
export class TopicReader {
  constructor(
    private readonly kafka: KafkaClient,
    private readonly prefix: string,
  ) {}

  async readAll(topic: string): Promise<ReadMessage[]> {
    const messages = await readTopicToEnd(this.kafka, physicalTopic(this.prefix, topic), { groupPrefix: 'reader', timeoutMs: 20_000 });
    return messages.map((message) => ({
      key: message.key?.toString() ?? null,
      value: message.value?.toString() ?? '',
      headers: Object.fromEntries(Object.entries(message.headers).map(([name, value]) => [name, value.toString()])),
      partition: message.partition,
      offset: message.offset,
    }));
  }

  /** Parsed envelopes on a topic. */
  async envelopes<T = Record<string, unknown>>(topic: string): Promise<{ type: string; eventId: string; correlationId: string; payload: T }[]> {
    return (await this.readAll(topic)).map((m) => JSON.parse(m.value));
  }
}
