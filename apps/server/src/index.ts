export { buildApp } from './app.ts';
export { startServer } from './server.ts';
export { loadConfig, type Config } from './platform/config.ts';
export { openPlatform } from './platform/open.ts';
export type { Platform } from './platform/context.ts';
