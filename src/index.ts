/** Library entry: `import { createClient } from 'modelpin'`. */
export * from './core/errors.js';
export type { Clock } from './core/clock.js';
export type { Random } from './core/random.js';
export * from './wire/canonical.js';
export type * from './store/types.js';
export type * from './providers/types.js';
export type { ModelsFile, RouteConfig } from './config/schema.js';
