export * from './wait-for.js';
export * from './test-database.js';
export * from './topic-reader.js';
export * from './suite.js';
export * from '@pt/upstream';
export * from './triage-helpers.js';
