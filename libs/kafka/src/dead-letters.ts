import { TOPIC_PARTITIONS, dlqOf, physicalTopic } from '@pt/contracts';
import type { KafkaClient } from './port.js';
import { readTopicToEnd } from './topic-read.js';

/** A message on a `.dlq` topic, with what its headers say about why it is there. */
export interface DeadLetter {
  /** `<source topic>:<dlq partition>:<dlq offset>`, what `show` and `replay --id` take. */
  id: string;
  dlqTopic: string;
  partition: number;
  offset: string;
  /** Logical topic the message came from. */
  sourceTopic: string;
  sourcePartition: string | null;
  sourceOffset: string | null;
  consumerGroup: string | null;
  reason: string | null;
  error: string | null;
  attempts: string | null;
  deadLetteredAt: Date;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer>;
}

export interface DeadLetterFilter {
  /** Logical source topics; every topic's DLQ when empty. */
  topics?: string[];
  since?: Date;
  until?: Date;
  reason?: string;
  consumerGroup?: string;
  ids?: string[];
}

export interface ReplayResult {
  /** Dead letters that matched the filter. */
  matched: number;
  /** Messages published (or, on a dry run, that would be): one per source message. */
  replayed: DeadLetter[];
  /** Copies of a message already replayed in this run (dead-lettered by several consumer groups). */
  skippedCopies: number;
}

const DLQ_HEADER_PREFIX = 'x-dlq-';

const headerText = (headers: Record<string, Buffer>, name: string): string | null => headers[name]?.toString() ?? null;

/** Logical topics that have a `.dlq` twin. */
export function dlqSourceTopics(): string[] {
  return Object.keys(TOPIC_PARTITIONS);
}

/**
 * Reads, filters and replays dead letters. Reading never joins a consumer group for
 * long (a throw-away group, deleted afterwards) and never commits an offset; replaying
 * publishes each original message (key, value, headers without the `x-dlq-*` ones) to
 * its source topic, which consumers' inboxes make harmless to repeat.
 */
export class DeadLetterStore {
  constructor(
    private readonly kafka: KafkaClient,
    private readonly topicPrefix: string,
  ) {}

  async list(filter: DeadLetterFilter = {}): Promise<DeadLetter[]> {
    const topics = filter.topics?.length ? filter.topics : dlqSourceTopics();
    const all = (await Promise.all(topics.map((topic) => this.read(topic)))).flat();
    return all.filter((letter) => matches(letter, filter)).sort((a, b) => a.deadLetteredAt.getTime() - b.deadLetteredAt.getTime());
  }

  async replay(filter: DeadLetterFilter, options: { dryRun: boolean }): Promise<ReplayResult> {
    const letters = await this.list(filter);
    const seen = new Set<string>();
    const replayed: DeadLetter[] = [];
    for (const letter of letters) {
      // The same source message dead-lettered by two consumer groups is one message to send again.
      const source = letter.sourcePartition && letter.sourceOffset ? `${letter.sourceTopic}:${letter.sourcePartition}:${letter.sourceOffset}` : letter.id;
      if (seen.has(source)) continue;
      seen.add(source);
      replayed.push(letter);
    }
    if (!options.dryRun && replayed.length > 0) {
      const producer = this.kafka.producer();
      await producer.connect();
      try {
        for (const letter of replayed) {
          const headers = Object.fromEntries(Object.entries(letter.headers).filter(([name]) => !name.startsWith(DLQ_HEADER_PREFIX)));
          await producer.send([
            {
              topic: physicalTopic(this.topicPrefix, letter.sourceTopic),
              messages: [{ key: letter.key, value: letter.value, headers: { ...headers, 'x-replayed-from': letter.id } }],
            },
          ]);
        }
      } finally {
        await producer.disconnect();
      }
    }
    return { matched: letters.length, replayed, skippedCopies: letters.length - replayed.length };
  }

  /** Everything on one source topic's DLQ right now. */
  private async read(sourceTopic: string): Promise<DeadLetter[]> {
    const name = physicalTopic(this.topicPrefix, dlqOf(sourceTopic));
    const messages = await readTopicToEnd(this.kafka, name, { groupPrefix: 'dlq-reader', timeoutMs: 60_000 });
    return messages.map((message) => {
      const { headers, partition } = message;
      const at = headerText(headers, 'x-dlq-at');
      return {
        id: `${sourceTopic}:${partition}:${message.offset}`,
        dlqTopic: dlqOf(sourceTopic),
        partition,
        offset: message.offset,
        sourceTopic: headerText(headers, 'x-dlq-source-topic') ?? sourceTopic,
        sourcePartition: headerText(headers, 'x-dlq-source-partition'),
        sourceOffset: headerText(headers, 'x-dlq-source-offset'),
        consumerGroup: headerText(headers, 'x-dlq-consumer-group'),
        reason: headerText(headers, 'x-dlq-reason'),
        error: headerText(headers, 'x-dlq-error'),
        attempts: headerText(headers, 'x-dlq-attempts'),
        deadLetteredAt: at && !Number.isNaN(Date.parse(at)) ? new Date(at) : new Date(Number(message.timestamp)),
        key: message.key,
        value: message.value,
        headers,
      };
    });
  }
}

function matches(letter: DeadLetter, filter: DeadLetterFilter): boolean {
  if (filter.ids?.length && !filter.ids.includes(letter.id)) return false;
  if (filter.since && letter.deadLetteredAt < filter.since) return false;
  if (filter.until && letter.deadLetteredAt >= filter.until) return false;
  if (filter.reason && letter.reason !== filter.reason) return false;
  if (filter.consumerGroup && letter.consumerGroup !== filter.consumerGroup) return false;
  return true;
}
