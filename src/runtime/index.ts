/**
 * The runtime of `architect serve`: database drivers, start-up migrations, the app factory, and
 * `startServer`, which ties them together for the command line and for embedding.
 */
export * from './db/index.js';
export * from './migrate/index.js';
export * from './server/index.js';
