import type { LoggerService } from '@nestjs/common';
import { Kafka, logLevel, type LogEntry } from 'kafkajs';

/** Creates a kafkajs client whose log lines go through the service's structured logger. */
export function createKafkaClient(brokers: string[], clientId: string, logger: LoggerService): Kafka {
  return new Kafka({
    clientId,
    brokers,
    connectionTimeout: 3000,
    requestTimeout: 30000,
    retry: { initialRetryTime: 300, retries: 10, maxRetryTime: 10000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, ...extra } = log;
        const line = { msg: `kafkajs: ${message}`, kafka: extra };
        // Retriable start-up conditions (coordinator still loading, leader election) are not errors.
        const benign = /coordinator is not available|not the correct coordinator|no leader for this topic-partition|leadership election/i.test(String(extra.error ?? ''));
        if (benign) logger.debug?.(line, "Kafka");
        else if (level === logLevel.ERROR) logger.error(line, 'Kafka');
        else if (level === logLevel.WARN) logger.warn(line, 'Kafka');
        else logger.log(line, 'Kafka');
      },
  });
}
