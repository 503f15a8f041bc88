import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule, type ServiceDefinition, type ServiceRuntime } from '@pt/platform';
import { SettlementConfig } from './config/settlement.config.js';
import { SETTLEMENT_MIGRATIONS } from './migrations/index.js';
import { SettlementClearingConsumer } from './payments/clearing-events.consumer.js';
import { PaymentStatusRepository } from './payments/payment-status.repository.js';

@Module({})
export class SettlementModule {
  static forRoot(runtime: ServiceRuntime<SettlementConfig>): DynamicModule {
    return {
      module: SettlementModule,
      imports: [
        PlatformModule.forService({
          service: 'settlement',
          schema: 'settlement',
          ...runtime,
          entities: [],
          migrations: SETTLEMENT_MIGRATIONS,
        }),
      ],
      controllers: [SettlementClearingConsumer],
      providers: [PaymentStatusRepository],
    };
  }
}

export const settlementService: ServiceDefinition<SettlementConfig> = {
  name: 'settlement',
  configClass: SettlementConfig,
  port: (config) => config.SETTLEMENT_PORT,
  host: (config) => config.HTTP_HOST,
  consumerGroup: (config) => config.SETTLEMENT_CONSUMER_GROUP,
  module: (runtime) => SettlementModule.forRoot(runtime),
};
