import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  ACCESS_EVENT_TYPES,
  CHANNEL_CLIENT_KEY_CHANGED_TYPE,
  TOPICS,
  type AgentAccessChangedV1,
  type AgentSessionRevokedV1,
  type ChannelClientKeyChangedV1,
} from '@pt/contracts';
import { applyOnce } from '@pt/database';
import type { ConsumeOutcome, InboundEvent } from '@pt/kafka';
import { DataSource, type EntityManager } from 'typeorm';
import { AgentAccessService } from './agent-access.service.js';
import { ChannelKeyMirrorRepository } from './channel-key-mirror.repository.js';

type AccessEventHandler = (m: EntityManager, payload: unknown) => Promise<void>;

/**
 * access.events.v1 into the access mirror. One handler per event type this service acts
 * on; a type it has no handler for (one meant for another service) is skipped. To act on a
 * new type, add it here.
 */
@Controller()
export class AccessEventsConsumer {
  private readonly handlers: Record<string, AccessEventHandler>;

  constructor(
    private readonly dataSource: DataSource,
    access: AgentAccessService,
    channelKeys: ChannelKeyMirrorRepository,
  ) {
    const accessChanged: AccessEventHandler = (m, payload) => access.accessChanged(m, payload as AgentAccessChangedV1);
    this.handlers = {
      [ACCESS_EVENT_TYPES.agentSessionRevoked]: (m, payload) => access.sessionRevoked(m, payload as AgentSessionRevokedV1),
      [ACCESS_EVENT_TYPES.agentDisabled]: accessChanged,
      [ACCESS_EVENT_TYPES.agentEnabled]: accessChanged,
      [ACCESS_EVENT_TYPES.agentRoleChanged]: accessChanged,
      [CHANNEL_CLIENT_KEY_CHANGED_TYPE]: (m, payload) => channelKeys.apply(m, payload as ChannelClientKeyChangedV1),
    };
  }

  @EventPattern(TOPICS.accessEvents)
  async onAccessEvent(@Payload() event: InboundEvent<unknown>): Promise<ConsumeOutcome> {
    const { envelope, payload, meta } = event;
    const handle = this.handlers[envelope.type];
    if (!handle) return 'skipped';
    return applyOnce(this.dataSource, 'reconciliation.access-events', envelope.eventId, meta.topic, (m) => handle(m, payload));
  }
}
