/** Protocol v1: wire types, event names, validation and error codes. */
export * from './version.js';
export * from './errors.js';
export * from './limits.js';
export * from './types.js';
export * from './catalogue.js';
export * from './commerce.js';
export * from './feed.js';
export * from './assistant.js';
export * from './events.js';
export * from './schemas.js';
