import type { LoggerService } from '@nestjs/common';
import { loadKafkaClientName, type KafkaClientName, type KafkaSecurity } from '@pt/config';
import { KafkajsClient } from './kafkajs-client.js';
import { PlatformaticClient } from './platformatic-client.js';
import type { KafkaClient } from './port.js';

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  /** TLS and SASL, from the KAFKA_SSL* / KAFKA_SASL* variables; plaintext when absent. */
  security?: KafkaSecurity;
  /** The client library; KAFKA_CLIENT of the environment (validated) when absent, @platformatic/kafka by default. */
  client?: KafkaClientName;
  /** Where the client library's own log lines go; nowhere when absent. */
  logger?: LoggerService;
  /** Retries of a failed connection or request; the default rides out a broker restart. */
  retries?: number;
}

/**
 * Creates the suite's Kafka client, secured as `security` says, whose log lines go through
 * the service's structured logger. Every Kafka client of the suite is made here, so one
 * set of variables configures them all.
 */
export function createKafkaClient(options: KafkaClientOptions): KafkaClient {
  const client = options.client ?? loadKafkaClientName(process.env);
  return client === 'platformatic' ? new PlatformaticClient(options) : new KafkajsClient(options);
}
