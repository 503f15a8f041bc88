import type { KafkaClientName } from '@pt/config';

/**
 * What the suite asks of a Kafka client, and nothing more. Everything outside libs/kafka
 * talks to Kafka through these interfaces; the adapters beside them (kafkajs-client.ts,
 * platformatic-client.ts) are the only files that import a client library (the
 * partitioner's spec aside). Every implementation keeps the same promises:
 *
 * - a producer waits for every in-sync replica (acks=all), never creates a topic by
 *   sending to it, and places a keyed message on the partition Java's clients choose
 *   (murmur2 of the key), so a key keeps its partition whichever client wrote it;
 * - a consumer commits nothing by itself: offsets move only through `commit`, which the
 *   caller calls after its database transaction committed;
 * - a consumer whose handler throws hands the message back (it is delivered again)
 *   unless the error is a programming error (a TypeError, say) or one the client cannot
 *   recover from; then the consumer stops for good and says so through `onCrash` with
 *   `restarting` false, and its owner builds a new one.
 */

/** The client libraries the suite can use (KAFKA_CLIENT). */
export type KafkaClientKind = KafkaClientName;

export interface OutgoingMessage {
  key: string | Buffer | null;
  value: string | Buffer | null;
  headers?: Record<string, string | Buffer>;
  /** A partition of the caller's choice; by default the key's murmur2 partition. */
  partition?: number;
}

export interface TopicMessages {
  topic: string;
  messages: OutgoingMessage[];
}

export interface ProducerOptions {
  /** Retries of a failed send; by default the client's, which ride out a broker restart. */
  retries?: number;
}

export interface KafkaProducer {
  connect(): Promise<void>;
  /** Sends every message with acks=all; resolves once the brokers acknowledged them all. */
  send(batch: TopicMessages[]): Promise<void>;
  disconnect(): Promise<void>;
}

export interface ConsumedMessage {
  topic: string;
  partition: number;
  /** The message's offset, as a decimal string. */
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer>;
  /** CreateTime in milliseconds since the epoch, as a decimal string. */
  timestamp: string;
}

export interface MessageContext {
  message: ConsumedMessage;
  /** Tells the group coordinator the consumer is alive during a long handler. */
  heartbeat(): Promise<void>;
  /** Stops fetching this message's partition; the function returned resumes it. */
  pause(): () => void;
}

export interface ConsumerOptions {
  groupId: string;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
}

export interface RunOptions {
  /** How many partitions are handled at once (messages of one partition always in order). */
  partitionsConsumedConcurrently?: number;
  eachMessage(context: MessageContext): Promise<void>;
}

export interface CommitPosition {
  topic: string;
  partition: number;
  /** The offset of the next message to read, as a decimal string. */
  offset: string;
}

export interface KafkaConsumer {
  connect(): Promise<void>;
  /** Joins the group for these topics; a partition without a committed offset starts at the beginning or at the end. */
  subscribe(topics: string[], fromBeginning: boolean): Promise<void>;
  /** Starts handing messages to `eachMessage`; resolves once consuming started. */
  run(options: RunOptions): Promise<void>;
  /** Makes the next message fetched from this partition the one at `offset`. */
  seek(position: CommitPosition): void;
  commit(positions: CommitPosition[]): Promise<void>;
  /** The consumer failed; `restarting` says whether the client builds it again by itself. */
  onCrash(listener: (error: unknown, restarting: boolean) => void): void;
  /** The consumer joined (or re-joined) its group: partitions may have moved. */
  onGroupJoin(listener: () => void): void;
  disconnect(): Promise<void>;
}

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  replicationFactor?: number;
}

export interface PartitionOffsets {
  partition: number;
  /** The earliest offset still on the broker. */
  low: string;
  /** The offset the next message will get. */
  high: string;
}

export interface PartitionLeader {
  partition: number;
  /** The leader's broker id; negative while there is none. */
  leader: number;
}

export type AclResource = 'topic' | 'group' | 'cluster';
export type AclOperation = 'read' | 'write' | 'create' | 'describe' | 'alter' | 'delete' | 'all';

/** One ALLOW rule for a principal. */
export interface AclGrant {
  resource: AclResource;
  name: string;
  /** `prefixed` applies to every name that starts with `name`. */
  pattern?: 'literal' | 'prefixed';
  principal: string;
  operation: AclOperation;
}

export interface AdminOptions {
  /** Retries of a failed request; by default the client's. */
  retries?: number;
}

export interface KafkaAdmin {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  /** Asks a broker for the cluster's metadata: the cheapest proof that one answers. */
  describeCluster(): Promise<void>;
  listTopics(): Promise<string[]>;
  /** Creates topics with their partition counts; rejects with "already exists" for a topic that does. */
  createTopics(topics: TopicSpec[]): Promise<void>;
  partitionLeaders(topics: string[]): Promise<{ topic: string; partitions: PartitionLeader[] }[]>;
  topicOffsets(topic: string): Promise<PartitionOffsets[]>;
  /** The group's committed offset per partition of the topic ("-1" where it has none). */
  committedOffsets(groupId: string, topic: string): Promise<{ partition: number; offset: string }[]>;
  /** The group's state as the coordinator says it (`Stable`, `PreparingRebalance`, …, `Dead`) and how many members it has. */
  describeGroup(groupId: string): Promise<{ state: string; members: number }>;
  deleteGroups(groupIds: string[]): Promise<void>;
  grantAcls(grants: AclGrant[]): Promise<void>;
}

/** One configured connection to the cluster, from which producers, consumers and admins are made. */
export interface KafkaClient {
  readonly kind: KafkaClientKind;
  producer(options?: ProducerOptions): KafkaProducer;
  consumer(options: ConsumerOptions): KafkaConsumer;
  admin(options?: AdminOptions): KafkaAdmin;
}
