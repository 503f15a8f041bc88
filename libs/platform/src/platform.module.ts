import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { BaseServiceConfig } from '@pt/config';
import { NO_FAULTS, type FaultInjector } from '@pt/faults';
import { InboxEntity, OutboxEntity, PgRateLimiter, openServiceDataSource, serviceDataSourceOptions } from '@pt/database';
import { JsonLogger, ServiceMetrics } from '@pt/observability';
import type { KafkaClient } from '@pt/kafka';
import { DataSource, type DataSourceOptions, type MixedList, type EntitySchema } from 'typeorm';
import { HealthController } from './health.controller.js';
import { KafkaReadiness } from './kafka-readiness.js';
import { OutboxPublisher } from './outbox-publisher.js';
import { FAULT_INJECTOR, KAFKA_CLIENT, SERVICE_CONFIG, SERVICE_NAME } from './tokens.js';

export interface PlatformModuleOptions {
  service: string;
  schema: string;
  config: BaseServiceConfig;
  logger: JsonLogger;
  metrics: ServiceMetrics;
  kafka: KafkaClient;
  /** Crash points for fault tests; NO_FAULTS when absent. */
  faults?: FaultInjector;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: (Function | EntitySchema)[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function>;
}

/** Everything a service shares: config, logger, metrics, Kafka, its database, outbox relay, health. */
@Global()
@Module({})
export class PlatformModule {
  static forService(options: PlatformModuleOptions): DynamicModule {
    const dataSourceOptions: DataSourceOptions = serviceDataSourceOptions({
      url: options.config.DATABASE_URL,
      schema: options.schema,
      entities: [...options.entities, OutboxEntity, InboxEntity],
      migrations: options.migrations,
      poolSize: options.config.DB_POOL_SIZE,
      applicationName: options.service,
    });
    return {
      module: PlatformModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSourceOptions,
          dataSourceFactory: async (opts) => openServiceDataSource(opts!),
        }),
      ],
      controllers: [HealthController],
      providers: [
        { provide: SERVICE_NAME, useValue: options.service },
        { provide: SERVICE_CONFIG, useValue: options.config },
        { provide: JsonLogger, useValue: options.logger },
        { provide: ServiceMetrics, useValue: options.metrics },
        { provide: KAFKA_CLIENT, useValue: options.kafka },
        { provide: FAULT_INJECTOR, useValue: options.faults ?? NO_FAULTS },
        OutboxPublisher,
        // Rate limits live in the service's own schema, shared by all its replicas.
        { provide: PgRateLimiter, inject: [DataSource], useFactory: (dataSource: DataSource) => new PgRateLimiter(dataSource, options.schema) },
        KafkaReadiness,
      ],
      exports: [SERVICE_NAME, SERVICE_CONFIG, JsonLogger, ServiceMetrics, KAFKA_CLIENT, FAULT_INJECTOR, OutboxPublisher, PgRateLimiter, TypeOrmModule],
    };
  }
}
