export * from './upstream.js';
export * from './stable-id.js';
