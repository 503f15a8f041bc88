import type { EventEnvelope, ValidEvent } from '@pt/contracts';

export interface KafkaEventMeta {
  /** Logical topic name, without prefix. */
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: Record<string, string>;
  envelope: EventEnvelope<unknown>;
}

/** What a consumer handler receives: the validated event and where it came from. */
export interface InboundEvent<P = object> extends ValidEvent<P> {
  meta: KafkaEventMeta;
}

/** What a consumer did with a message. */
export type ConsumeOutcome = 'processed' | 'duplicate' | 'skipped';

/** Thrown by a handler for a message that can never be applied: the message is dead-lettered. */
export class PermanentMessageError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'PermanentMessageError';
  }
}
