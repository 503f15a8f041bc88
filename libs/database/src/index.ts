export * from './outbox.entity.js';
export * from './inbox.entity.js';
export * from './messaging-ddl.js';
export * from './outbox.writer.js';
export * from './inbox.js';
export * from './errors.js';
export * from './data-source.js';
export * from './after-commit.js';
