import type { LoggerService } from '@nestjs/common';
import type { KafkaSecurity } from '@pt/config';
import kafkajs, {
  Kafka,
  Partitioners,
  logLevel,
  type Admin,
  type Consumer,
  type ConsumerCrashEvent,
  type IHeaders,
  type LogEntry,
  type Producer,
  type SASLOptions,
} from 'kafkajs';
import type { ConnectionOptions } from 'node:tls';
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
  ProducerOptions,
  RunOptions,
  TopicMessages,
  TopicSpec,
} from './port.js';

export interface ClientSettings {
  brokers: string[];
  clientId: string;
  security?: KafkaSecurity;
  logger?: LoggerService;
  retries?: number;
}

function tlsOptions(security: KafkaSecurity | undefined): ConnectionOptions | false {
  const tls = security?.tls;
  if (!tls) return false;
  return {
    rejectUnauthorized: tls.rejectUnauthorized,
    ...(tls.ca !== undefined ? { ca: tls.ca } : {}),
    ...(tls.cert !== undefined ? { cert: tls.cert, key: tls.key } : {}),
  };
}

function saslOptions(security: KafkaSecurity | undefined): SASLOptions | undefined {
  const sasl = security?.sasl;
  if (!sasl) return undefined;
  const { username, password } = sasl;
  switch (sasl.mechanism) {
    case 'plain':
      return { mechanism: 'plain', username, password };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', username, password };
    case 'scram-sha-512':
      return { mechanism: 'scram-sha-512', username, password };
  }
}

function headerBuffers(headers: IHeaders | undefined): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    out[name] = Buffer.isBuffer(value) ? value : Buffer.from(Array.isArray(value) ? value.map(String).join(',') : String(value));
  }
  return out;
}

class KafkajsProducer implements KafkaProducer {
  constructor(private readonly producer: Producer) {}

  connect(): Promise<void> {
    return this.producer.connect();
  }

  async send(batch: TopicMessages[]): Promise<void> {
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: batch.map(({ topic, messages }) => ({
        topic,
        messages: messages.map((m) => ({
          key: m.key,
          value: m.value,
          headers: m.headers ?? {},
          ...(m.partition !== undefined ? { partition: m.partition } : {}),
        })),
      })),
    });
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}

class KafkajsConsumer implements KafkaConsumer {
  constructor(private readonly consumer: Consumer) {}

  connect(): Promise<void> {
    return this.consumer.connect();
  }

  subscribe(topics: string[], fromBeginning: boolean): Promise<void> {
    return this.consumer.subscribe({ topics, fromBeginning });
  }

  run(options: RunOptions): Promise<void> {
    return this.consumer.run({
      // Offsets move only through commit(): kafkajs would otherwise commit the offset of a
      // message put back for a later retry at the end of its batch.
      autoCommit: false,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
      eachMessage: async (payload) => {
        const { topic, partition, message } = payload;
        const consumed: ConsumedMessage = {
          topic,
          partition,
          offset: message.offset,
          key: message.key,
          value: message.value,
          headers: headerBuffers(message.headers),
          timestamp: message.timestamp,
        };
        await options.eachMessage({ message: consumed, heartbeat: () => payload.heartbeat(), pause: () => payload.pause() });
      },
    });
  }

  seek(position: CommitPosition): void {
    this.consumer.seek(position);
  }

  commit(positions: CommitPosition[]): Promise<void> {
    return this.consumer.commitOffsets(positions);
  }

  onCrash(listener: (error: unknown, restarting: boolean) => void): void {
    this.consumer.on(this.consumer.events.CRASH, (event: ConsumerCrashEvent) => listener(event.payload.error, event.payload.restart));
  }

  onGroupJoin(listener: () => void): void {
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => listener());
  }

  disconnect(): Promise<void> {
    return this.consumer.disconnect();
  }
}

// Node's ESM loader cannot see these enums among kafkajs's (CommonJS) named exports.
const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } = kafkajs;
const ACL_RESOURCES = { topic: AclResourceTypes.TOPIC, group: AclResourceTypes.GROUP, cluster: AclResourceTypes.CLUSTER } as const;
const ACL_OPERATIONS = {
  read: AclOperationTypes.READ,
  write: AclOperationTypes.WRITE,
  create: AclOperationTypes.CREATE,
  describe: AclOperationTypes.DESCRIBE,
  alter: AclOperationTypes.ALTER,
  delete: AclOperationTypes.DELETE,
  all: AclOperationTypes.ALL,
} as const;

class KafkajsAdmin implements KafkaAdmin {
  constructor(private readonly admin: Admin) {}

  connect(): Promise<void> {
    return this.admin.connect();
  }

  disconnect(): Promise<void> {
    return this.admin.disconnect();
  }

  async describeCluster(): Promise<void> {
    await this.admin.describeCluster();
  }

  listTopics(): Promise<string[]> {
    return this.admin.listTopics();
  }

  async createTopics(topics: TopicSpec[]): Promise<void> {
    await this.admin.createTopics({
      waitForLeaders: false,
      topics: topics.map((t) => ({ topic: t.topic, numPartitions: t.numPartitions, replicationFactor: t.replicationFactor ?? 1 })),
    });
  }

  async partitionLeaders(topics: string[]) {
    const { topics: metadata } = await this.admin.fetchTopicMetadata({ topics });
    return metadata.map((t) => ({ topic: t.name, partitions: t.partitions.map((p) => ({ partition: p.partitionId, leader: p.leader })) }));
  }

  async topicOffsets(topic: string) {
    const offsets = await this.admin.fetchTopicOffsets(topic);
    return offsets.map((o) => ({ partition: o.partition, low: o.low, high: o.high }));
  }

  async committedOffsets(groupId: string, topic: string) {
    const [offsets] = await this.admin.fetchOffsets({ groupId, topics: [topic] });
    return (offsets?.partitions ?? []).map((p) => ({ partition: p.partition, offset: p.offset }));
  }

  async describeGroup(groupId: string) {
    const { groups } = await this.admin.describeGroups([groupId]);
    return { state: groups[0]?.state ?? 'Dead', members: groups[0]?.members.length ?? 0 };
  }

  async deleteGroups(groupIds: string[]): Promise<void> {
    await this.admin.deleteGroups(groupIds);
  }

  async grantAcls(grants: AclGrant[]): Promise<void> {
    await this.admin.createAcls({
      acl: grants.map((g) => ({
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

/** The suite's Kafka port on kafkajs. */
export class KafkajsClient implements KafkaClient {
  readonly kind = 'kafkajs' as const;
  private readonly kafka: Kafka;

  constructor(settings: ClientSettings) {
    const { logger } = settings;
    this.kafka = new Kafka({
      clientId: settings.clientId,
      brokers: settings.brokers,
      ssl: tlsOptions(settings.security),
      sasl: saslOptions(settings.security),
      connectionTimeout: 3000,
      requestTimeout: 30000,
      retry: { initialRetryTime: 300, retries: settings.retries ?? 10, maxRetryTime: 10000 },
      logLevel: logger ? logLevel.WARN : logLevel.NOTHING,
      logCreator:
        () =>
        ({ level, log }: LogEntry) => {
          if (!logger) return;
          const { message, ...extra } = log;
          const line = { msg: `kafkajs: ${message}`, kafka: extra };
          // Retriable start-up conditions (coordinator still loading, leader election) are not errors.
          const benign = /coordinator is not available|not the correct coordinator|no leader for this topic-partition|leadership election/i.test(
            String(extra.error ?? ''),
          );
          if (benign) logger.debug?.(line, 'Kafka');
          else if (level === logLevel.ERROR) logger.error(line, 'Kafka');
          else if (level === logLevel.WARN) logger.warn(line, 'Kafka');
          else logger.log(line, 'Kafka');
        },
    });
  }

  producer(options: ProducerOptions = {}): KafkaProducer {
    return new KafkajsProducer(
      this.kafka.producer({
        createPartitioner: Partitioners.JavaCompatiblePartitioner,
        allowAutoTopicCreation: false,
        ...(options.retries !== undefined ? { retry: { initialRetryTime: 100, retries: options.retries, maxRetryTime: 1000 } } : {}),
      }),
    );
  }

  consumer(options: ConsumerOptions): KafkaConsumer {
    return new KafkajsConsumer(
      this.kafka.consumer({
        groupId: options.groupId,
        allowAutoTopicCreation: false,
        ...(options.sessionTimeoutMs !== undefined ? { sessionTimeout: options.sessionTimeoutMs } : {}),
        ...(options.heartbeatIntervalMs !== undefined ? { heartbeatInterval: options.heartbeatIntervalMs } : {}),
      }),
    );
  }

  admin(options: AdminOptions = {}): KafkaAdmin {
    return new KafkajsAdmin(
      this.kafka.admin(options.retries !== undefined ? { retry: { retries: options.retries, initialRetryTime: 200, maxRetryTime: 1000 } } : {}),
    );
  }
}
