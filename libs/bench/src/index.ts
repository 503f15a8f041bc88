export * from './stats.js';
export * from './options.js';
export * from './http-load.js';
export * from './arrivals.js';
export * from './pacing.js';
export * from './report.js';
