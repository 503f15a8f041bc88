export * from './invariant-checks.js';
export * from './topic-check.js';
