import type { LoggerService } from '@nestjs/common';
import type { KafkaSecurity } from '@pt/config';
import { KafkajsClient } from './kafkajs-client.js';
import type { KafkaClient } from './port.js';

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  /** TLS and SASL, from the KAFKA_SSL* / KAFKA_SASL* variables; plaintext when absent. */
  security?: KafkaSecurity;
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
  return new KafkajsClient(options);
}
