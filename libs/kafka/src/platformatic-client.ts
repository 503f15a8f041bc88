import type { LoggerService } from '@nestjs/common';
import type { KafkaSecurity } from '@pt/config';
import {
  AclOperations,
  AclPermissionTypes,
  Admin,
  Consumer,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
  ProduceAcks,
  Producer,
  ResourcePatternTypes,
  ResourceTypes,
  SASLMechanisms,
  murmur2,
  type BaseOptions,
  type Message,
  type MessagesStream,
} from '@platformatic/kafka';
import type {
  AclGrant,
  AdminOptions,
  CommitPosition,
  ConsumedMessage,
  ConsumerOptions,
  KafkaAdmin,
  KafkaClient,
  KafkaConsumer,
  KafkaProducer,
  MessageContext,
  ProducerOptions,
  RunOptions,
  TopicMessages,
  TopicSpec,
} from './port.js';

export interface PlatformaticSettings {
  brokers: string[];
  clientId: string;
  security?: KafkaSecurity;
  logger?: LoggerService;
  retries?: number;
}

type Bytes = Buffer<ArrayBufferLike>;

/**
 * The partitioner of this adapter's producers: a keyed message goes where Java's clients
 * (and kafkajs's JavaCompatiblePartitioner) put it, murmur2 of the key's bytes made
 * positive by clearing the sign bit; the producer takes that modulo the partition count.
 * @platformatic/kafka's default partitioner keeps the sign bit (`>>> 0`), which sends
 * about half of all keys elsewhere, so it is not used. Messages without a key go round
 * the partitions.
 */
export function javaCompatiblePartitioner(): (key: Buffer | undefined) => number {
  let next = 0;
  return (key) => (key !== undefined ? murmur2(key) & 0x7fffffff : next++ & 0x7fffffff);
}

const SASL_MECHANISMS = {
  plain: SASLMechanisms.PLAIN,
  'scram-sha-256': SASLMechanisms.SCRAM_SHA_256,
  'scram-sha-512': SASLMechanisms.SCRAM_SHA_512,
} as const;

function baseOptions(settings: PlatformaticSettings, clientId: string, retries = settings.retries ?? 10): BaseOptions {
  const { tls, sasl } = settings.security ?? {};
  return {
    clientId,
    bootstrapBrokers: settings.brokers,
    connectTimeout: 3000,
    requestTimeout: 30000,
    retries,
    // As kafkajs did: 300 ms, doubling, at most 10 s between two attempts.
    retryDelay: (_client, _operation, attempt) => Math.min(300 * 2 ** Math.max(0, attempt - 1), 10_000),
    autocreateTopics: false,
    ...(tls
      ? {
          tls: {
            rejectUnauthorized: tls.rejectUnauthorized,
            ...(tls.ca !== undefined ? { ca: tls.ca } : {}),
            ...(tls.cert !== undefined ? { cert: tls.cert, key: tls.key } : {}),
          },
        }
      : {}),
    ...(sasl ? { sasl: { mechanism: SASL_MECHANISMS[sasl.mechanism], username: sasl.username, password: sasl.password } } : {}),
  };
}

const bytes = (value: string | Buffer | null | undefined): Bytes | undefined =>
  value === null || value === undefined ? undefined : Buffer.isBuffer(value) ? value : Buffer.from(value);

class PlatformaticProducer implements KafkaProducer {
  private readonly producer: Producer<Bytes, Bytes, Bytes, Bytes>;

  constructor(options: BaseOptions) {
    const partitionOf = javaCompatiblePartitioner();
    this.producer = new Producer<Bytes, Bytes, Bytes, Bytes>({
      ...options,
      acks: ProduceAcks.ALL,
      idempotent: false,
      partitioner: (_message, key) => partitionOf(key),
    });
  }

  async connect(): Promise<void> {
    await this.producer.metadata({ topics: [] });
  }

  async send(batch: TopicMessages[]): Promise<void> {
    try {
      await this.sendAll(batch);
    } catch (error) {
      // With topic creation off, the library refuses a topic the broker does not know in its
      // own words; name it as the broker (and kafkajs) would, so the outbox sets the row aside.
      if (/Unknown topic /.test(messagesOf(error)))
        throw Object.assign(new Error('UNKNOWN_TOPIC_OR_PARTITION', { cause: error }), { type: 'UNKNOWN_TOPIC_OR_PARTITION' });
      throw error;
    }
  }

  private async sendAll(batch: TopicMessages[]): Promise<void> {
    await this.producer.send({
      acks: ProduceAcks.ALL,
      messages: batch.flatMap(({ topic, messages }) =>
        messages.map((m) => ({
          topic,
          key: bytes(m.key),
          value: bytes(m.value),
          headers: new Map(Object.entries(m.headers ?? {}).map(([name, value]) => [Buffer.from(name), bytes(value)!])),
          ...(m.partition !== undefined ? { partition: m.partition } : {}),
        })),
      ),
    });
  }

  async disconnect(): Promise<void> {
    if (!this.producer.closed) await this.producer.close();
  }
}

/** The messages of an error and of the errors it wraps (cause, errors), joined. */
function messagesOf(error: unknown, depth = 0): string {
  if (!error || typeof error !== 'object' || depth > 8) return '';
  const e = error as { message?: string; cause?: unknown; errors?: unknown[] };
  return [e.message ?? '', messagesOf(e.cause, depth + 1), ...(Array.isArray(e.errors) ? e.errors.map((inner) => messagesOf(inner, depth + 1)) : [])].join(
    ' | ',
  );
}

/** Programming errors: kafkajs stops a consumer for good on these, and so does this adapter. */
function isProgrammingError(error: unknown): boolean {
  return error instanceof TypeError || error instanceof ReferenceError || error instanceof SyntaxError || error instanceof RangeError;
}

interface PartitionQueue {
  topic: string;
  partition: number;
  messages: Message<Bytes, Bytes, Bytes, Bytes>[];
  /** The offset after the last message taken from the stream; older ones (a re-fetch) are skipped. */
  next: bigint | null;
  paused: boolean;
  busy: boolean;
  /** Set by seek() while a message is handled: keep it at the head, to be handled again. */
  hold: bigint | null;
  failures: number;
  leaderEpoch: number;
}

/** Messages held in memory before the stream stops fetching, and the level at which it fetches again. */
const HIGH_WATER = 2000;
const LOW_WATER = 500;

/**
 * A consumer on @platformatic/kafka's message stream, shaped like the port: messages go
 * to one queue per partition, each queue is handled in order by one worker, at most
 * `partitionsConsumedConcurrently` of them at a time. Pausing a partition stops its
 * worker (the stream keeps fetching, the queue keeps the messages); seeking to the
 * message being handled keeps it at the head, so it is handled again on resume. Nothing
 * is committed but what commit() is given.
 */
class PlatformaticConsumer implements KafkaConsumer {
  private readonly consumer: Consumer<Bytes, Bytes, Bytes, Bytes>;
  private stream: MessagesStream<Bytes, Bytes, Bytes, Bytes> | null = null;
  private topics: string[] = [];
  private fromBeginning = true;
  private readonly queues = new Map<string, PartitionQueue>();
  private queued = 0;
  private active = 0;
  private concurrency = 1;
  private handler: RunOptions['eachMessage'] | null = null;
  private stopped = false;
  private idle: (() => void) | null = null;
  private readonly crashListeners: ((error: unknown, restarting: boolean) => void)[] = [];

  constructor(
    base: BaseOptions,
    private readonly options: ConsumerOptions,
  ) {
    this.consumer = new Consumer<Bytes, Bytes, Bytes, Bytes>({
      ...base,
      groupId: options.groupId,
      autocommit: false,
      maxWaitTime: 500,
      ...(options.sessionTimeoutMs !== undefined ? { sessionTimeout: options.sessionTimeoutMs } : {}),
      ...(options.heartbeatIntervalMs !== undefined ? { heartbeatInterval: options.heartbeatIntervalMs } : {}),
    });
  }

  async connect(): Promise<void> {
    await this.consumer.metadata({ topics: [] });
  }

  async subscribe(topics: string[], fromBeginning: boolean): Promise<void> {
    this.topics = topics;
    this.fromBeginning = fromBeginning;
  }

  async run(options: RunOptions): Promise<void> {
    this.handler = (context) => options.eachMessage(context);
    this.concurrency = Math.max(1, options.partitionsConsumedConcurrently ?? 1);
    const stream = await this.consumer.consume({
      topics: this.topics,
      mode: MessagesStreamModes.COMMITTED,
      fallbackMode: this.fromBeginning ? MessagesStreamFallbackModes.EARLIEST : MessagesStreamFallbackModes.LATEST,
      autocommit: false,
      ...(this.options.sessionTimeoutMs !== undefined ? { sessionTimeout: this.options.sessionTimeoutMs } : {}),
      ...(this.options.heartbeatIntervalMs !== undefined ? { heartbeatInterval: this.options.heartbeatIntervalMs } : {}),
    });
    this.stream = stream;
    stream.on('data', (message: Message<Bytes, Bytes, Bytes, Bytes>) => this.enqueue(message));
    stream.on('error', (error: Error) => this.crash(error));
  }

  private queueOf(topic: string, partition: number): PartitionQueue {
    const key = `${topic}|${partition}`;
    let queue = this.queues.get(key);
    if (!queue) {
      queue = { topic, partition, messages: [], next: null, paused: false, busy: false, hold: null, failures: 0, leaderEpoch: -1 };
      this.queues.set(key, queue);
    }
    return queue;
  }

  private enqueue(message: Message<Bytes, Bytes, Bytes, Bytes>): void {
    if (this.stopped) return;
    const queue = this.queueOf(message.topic, message.partition);
    // After a rejoin the stream fetches again from the committed offset: skip what is queued or
    // handled. What is queued for a partition that moved to another member is still handled
    // here (its inbox skips it there, as any redelivery), never dropped unhandled.
    if (queue.next !== null && message.offset < queue.next) return;
    queue.next = message.offset + 1n;
    queue.leaderEpoch = message.leaderEpoch;
    queue.messages.push(message);
    this.queued += 1;
    if (this.queued >= HIGH_WATER) this.stream?.pause();
    this.pump();
  }

  private pump(): void {
    if (this.stopped) return;
    for (const queue of this.queues.values()) {
      if (this.active >= this.concurrency) return;
      if (!queue.busy && !queue.paused && queue.messages.length > 0) void this.work(queue);
    }
  }

  private async work(queue: PartitionQueue): Promise<void> {
    queue.busy = true;
    this.active += 1;
    try {
      while (!this.stopped && !queue.paused && queue.messages.length > 0) {
        const message = queue.messages[0];
        queue.hold = null;
        try {
          await this.handler!(this.contextOf(queue, message));
          queue.failures = 0;
        } catch (error) {
          if (isProgrammingError(error)) {
            this.crash(error);
            return;
          }
          // Hand the message back: it is handled again after a growing pause, as kafkajs would.
          queue.hold = message.offset;
          queue.failures += 1;
          const resume = this.pauseQueue(queue);
          setTimeout(resume, Math.min(300 * 2 ** (queue.failures - 1), 10_000));
        }
        if (queue.hold !== message.offset && queue.messages[0] === message) {
          queue.messages.shift();
          this.queued -= 1;
          if (this.queued <= LOW_WATER && this.stream?.isPaused()) this.stream.resume();
        }
      }
    } finally {
      queue.busy = false;
      this.active -= 1;
      if (this.active === 0) this.idle?.();
      this.pump();
    }
  }

  private pauseQueue(queue: PartitionQueue): () => void {
    queue.paused = true;
    return () => {
      queue.paused = false;
      this.pump();
    };
  }

  private contextOf(queue: PartitionQueue, message: Message<Bytes, Bytes, Bytes, Bytes>): MessageContext {
    const headers: Record<string, Buffer> = {};
    for (const [name, value] of message.headers) headers[name.toString()] = value;
    const consumed: ConsumedMessage = {
      topic: message.topic,
      partition: message.partition,
      offset: message.offset.toString(),
      key: message.key && message.key.length > 0 ? message.key : null,
      value: message.value ?? null,
      headers,
      timestamp: message.timestamp.toString(),
    };
    // Heartbeats run on their own connection, whatever the handler does.
    return { message: consumed, heartbeat: async () => undefined, pause: () => this.pauseQueue(queue) };
  }

  seek(position: CommitPosition): void {
    const queue = this.queues.get(`${position.topic}|${position.partition}`);
    if (!queue) return;
    const offset = BigInt(position.offset);
    const dropped = queue.messages.length;
    queue.messages = queue.messages.filter((m) => m.offset >= offset);
    this.queued -= dropped - queue.messages.length;
    queue.hold = offset;
  }

  async commit(positions: CommitPosition[]): Promise<void> {
    await this.consumer.commit({
      offsets: positions.map((p) => ({
        topic: p.topic,
        partition: p.partition,
        offset: BigInt(p.offset),
        leaderEpoch: this.queues.get(`${p.topic}|${p.partition}`)?.leaderEpoch ?? -1,
      })),
    });
  }

  onCrash(listener: (error: unknown, restarting: boolean) => void): void {
    this.crashListeners.push(listener);
  }

  onGroupJoin(listener: () => void): void {
    this.consumer.on('consumer:group:join', () => listener());
  }

  private crash(error: unknown): void {
    if (this.stopped) return;
    this.stopped = true;
    void this.stream?.close().catch(() => undefined);
    for (const listener of this.crashListeners) listener(error, false);
  }

  async disconnect(): Promise<void> {
    this.stopped = true;
    // As kafkajs does, wait for the handlers under way: they may still need the database.
    if (this.active > 0) await new Promise<void>((resolve) => (this.idle = resolve));
    await this.stream?.close().catch(() => undefined);
    if (!this.consumer.closed) await this.consumer.close(true).catch(() => undefined);
  }
}

const ACL_RESOURCES = { topic: ResourceTypes.TOPIC, group: ResourceTypes.GROUP, cluster: ResourceTypes.CLUSTER } as const;
const ACL_OPERATIONS = {
  read: AclOperations.READ,
  write: AclOperations.WRITE,
  create: AclOperations.CREATE,
  describe: AclOperations.DESCRIBE,
  alter: AclOperations.ALTER,
  delete: AclOperations.DELETE,
  all: AclOperations.ALL,
} as const;

class PlatformaticAdmin implements KafkaAdmin {
  private admin: Admin | null = null;

  constructor(private readonly options: BaseOptions) {}

  private client(): Admin {
    this.admin ??= new Admin(this.options);
    return this.admin;
  }

  async connect(): Promise<void> {
    await this.client().metadata({ topics: [] });
  }

  async disconnect(): Promise<void> {
    const admin = this.admin;
    this.admin = null;
    if (admin && !admin.closed) await admin.close();
  }

  async describeCluster(): Promise<void> {
    await this.client().metadata({ topics: [], forceUpdate: true });
  }

  listTopics(): Promise<string[]> {
    return this.client().listTopics();
  }

  async createTopics(topics: TopicSpec[]): Promise<void> {
    await this.client().createTopics({
      topics: topics.map((t) => ({ topic: t.topic, partitions: t.numPartitions, replicas: t.replicationFactor ?? 1 })),
    });
  }

  async partitionLeaders(topics: string[]) {
    const metadata = await this.client().metadata({ topics, forceUpdate: true });
    return topics.map((topic) => ({
      topic,
      partitions: (metadata.topics.get(topic)?.partitions ?? []).map((p, partition) => ({ partition, leader: p.leader })),
    }));
  }

  async topicOffsets(topic: string) {
    const admin = this.client();
    const metadata = await admin.metadata({ topics: [topic] });
    const count = metadata.topics.get(topic)?.partitionsCount ?? 0;
    const at = async (timestamp: bigint) => {
      const [listed] = await admin.listOffsets({
        topics: [{ name: topic, partitions: Array.from({ length: count }, (_, partitionIndex) => ({ partitionIndex, timestamp })) }],
      });
      return new Map((listed?.partitions ?? []).map((p) => [p.partitionIndex, p.offset]));
    };
    const [low, high] = await Promise.all([at(-2n), at(-1n)]);
    return Array.from({ length: count }, (_, partition) => ({
      partition,
      low: (low.get(partition) ?? 0n).toString(),
      high: (high.get(partition) ?? 0n).toString(),
    }));
  }

  async committedOffsets(groupId: string, topic: string) {
    const metadata = await this.client().metadata({ topics: [topic] });
    const count = metadata.topics.get(topic)?.partitionsCount ?? 0;
    const [group] = await this.client().listConsumerGroupOffsets({ groups: [groupId] });
    const committed = new Map((group?.topics.find((t) => t.name === topic)?.partitions ?? []).map((p) => [p.partitionIndex, p.committedOffset]));
    return Array.from({ length: count }, (_, partition) => ({ partition, offset: (committed.get(partition) ?? -1n).toString() }));
  }

  async describeGroup(groupId: string) {
    const groups = await this.client().describeGroups({ groups: [groupId] });
    const group = groups.get(groupId);
    return { state: group?.state ?? 'Dead', members: group?.members.size ?? 0 };
  }

  async deleteGroups(groupIds: string[]): Promise<void> {
    await this.client().deleteGroups({ groups: groupIds });
  }

  async grantAcls(grants: AclGrant[]): Promise<void> {
    await this.client().createAcls({
      creations: grants.map((g) => ({
        resourceType: ACL_RESOURCES[g.resource],
        resourceName: g.name,
        resourcePatternType: g.pattern === 'prefixed' ? ResourcePatternTypes.PREFIXED : ResourcePatternTypes.LITERAL,
        principal: g.principal,
        host: '*',
        operation: ACL_OPERATIONS[g.operation],
        permissionType: AclPermissionTypes.ALLOW,
      })),
    });
  }
}

/** The suite's Kafka port on @platformatic/kafka. */
export class PlatformaticClient implements KafkaClient {
  readonly kind = 'platformatic' as const;
  private made = 0;

  constructor(private readonly settings: PlatformaticSettings) {}

  private options(retries?: number): BaseOptions {
    this.made += 1;
    return baseOptions(this.settings, `${this.settings.clientId}-${this.made}`, retries);
  }

  producer(options: ProducerOptions = {}): KafkaProducer {
    return new PlatformaticProducer(this.options(options.retries));
  }

  consumer(options: ConsumerOptions): KafkaConsumer {
    return new PlatformaticConsumer(this.options(), options);
  }

  admin(options: AdminOptions = {}): KafkaAdmin {
    return new PlatformaticAdmin(this.options(options.retries));
  }
}
