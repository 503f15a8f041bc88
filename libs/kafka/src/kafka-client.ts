import type { LoggerService } from '@nestjs/common';
import type { KafkaSecurity } from '@pt/config';
import { Kafka, logLevel, type LogEntry, type SASLOptions } from 'kafkajs';
import type { ConnectionOptions } from 'node:tls';

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  /** TLS and SASL, from the KAFKA_SSL* / KAFKA_SASL* variables; plaintext when absent. */
  security?: KafkaSecurity;
  /** Where kafkajs's own log lines go; nowhere when absent. */
  logger?: LoggerService;
  /** Retries of a failed connection or request; the default rides out a broker restart. */
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

/**
 * Creates a kafkajs client, secured as `security` says, whose log lines go through the
 * service's structured logger. Every Kafka client of the suite is made here, so one set
 * of variables configures them all.
 */
export function createKafkaClient(options: KafkaClientOptions): Kafka {
  const { logger } = options;
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    ssl: tlsOptions(options.security),
    sasl: saslOptions(options.security),
    connectionTimeout: 3000,
    requestTimeout: 30000,
    retry: { initialRetryTime: 300, retries: options.retries ?? 10, maxRetryTime: 10000 },
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
