import { Module } from '@nestjs/common';
import { ClearingEventsConsumer } from './clearing-events.consumer.js';
import { ClearingMirrorHooks } from './clearing-mirror.hooks.js';
import { ClearingRepository } from './clearing.repository.js';
import { ClearingService } from './clearing.service.js';

/** The clearing mirror: the latest status each payment reached at the bank or channel (clearing_records). */
@Module({
  controllers: [ClearingEventsConsumer],
  providers: [ClearingRepository, ClearingService, ClearingMirrorHooks],
  exports: [ClearingService, ClearingMirrorHooks],
})
export class ClearingModule {}
