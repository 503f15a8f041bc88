export * from './crash-points.js';
