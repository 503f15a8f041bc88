export * from './prerequisites.js';
export * from './embedded-postgres.js';
export * from './kafka-broker.js';
export * from './service-process.js';
export * from './infrastructure.js';
export * from './secrets.js';
