export * from './kafka-client.js';
export * from './topic-admin.js';
export * from './event-context.js';
export * from './envelope.server.js';
export * from './outbox.relay.js';
export * from './event-publisher.js';
export * from './kafka-access.js';
export * from './merchant-mismatch.js';
