export * from './correlation.js';
export * from './redact.js';
export * from './json-logger.js';
export * from './metrics.js';
