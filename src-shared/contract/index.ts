export * from './common.js';
export * from './projects.js';
export * from './datasets.js';
export * from './splits.js';
export * from './jobs.js';
export * from './system.js';
export * from './operations.js';
export * from './client.js';
