import { Module, type DynamicModule } from '@nestjs/common';
import { SETTLEMENT_API } from './api-docs.js';
import { AdminTokenGuard, PlatformModule, type ServiceDefinition, type ServiceRuntime } from '@pt/platform';
import { MerchantAuthGuard, MerchantRateLimitGuard } from './auth/merchant-auth.guard.js';
import { SettlementConfig } from './config/settlement.config.js';
import { MerchantsAdminController } from './merchants/merchants-admin.controller.js';
import { MerchantsRepository } from './merchants/merchants.repository.js';
import { MerchantsService } from './merchants/merchants.service.js';
import { SETTLEMENT_MIGRATIONS } from './migrations/index.js';
import { SettlementClearingConsumer } from './payments/clearing-events.consumer.js';
import { PaymentStatusRepository } from './payments/payment-status.repository.js';
import { PaymentsController } from './payments/payments.controller.js';
import { PaymentsService } from './payments/payments.service.js';
import { SettlementEventsConsumer } from './payments/settlement-events.consumer.js';

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
      controllers: [SettlementClearingConsumer, SettlementEventsConsumer, PaymentsController, MerchantsAdminController],
      providers: [PaymentStatusRepository, PaymentsService, MerchantsRepository, MerchantsService, AdminTokenGuard, MerchantAuthGuard, MerchantRateLimitGuard],
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
  openApi: SETTLEMENT_API,
};
