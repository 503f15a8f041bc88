export * from './load-config.js';
export * from './base.config.js';
export * from './buyer-edge.config.js';
export * from './command-line.js';
