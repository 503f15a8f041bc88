import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { CHANNEL_CLIENT_KEY_CHANGED_TYPE, TOPICS, type ChannelClientKeyChangedV1 } from '@pt/contracts';
import { applyOnce } from '@pt/database';
import type { ConsumeOutcome, InboundEvent } from '@pt/kafka';
import { DataSource, type EntityManager } from 'typeorm';
import { ChannelKeyMirrorRepository } from './channel-key-mirror.repository.js';

/** Who may call: intake's changes to channel clients (and staff access), applied once each. */
@Controller()
export class AccessEventsConsumer {
  private readonly handlers: Record<string, (m: EntityManager, payload: unknown) => Promise<void>>;

  constructor(
    private readonly dataSource: DataSource,
    channelKeys: ChannelKeyMirrorRepository,
  ) {
    this.handlers = {
      [CHANNEL_CLIENT_KEY_CHANGED_TYPE]: (m, payload) => channelKeys.apply(m, payload as ChannelClientKeyChangedV1),
    };
  }

  @EventPattern(TOPICS.accessEvents)
  async onAccessEvent(@Payload() event: InboundEvent<unknown>): Promise<ConsumeOutcome> {
    const { envelope, payload, meta } = event;
    const handle = this.handlers[envelope.type];
    return applyOnce(this.dataSource, 'reconciliation.access-events', envelope.eventId, meta.topic, async (m) => {
      if (handle) await handle(m, payload);
    });
  }
}
