// @renkei/core — pure domain logic with no I/O. Each area has its own index; import the area you need
// (e.g. `@renkei/core/ioc/index`) or everything from here.
export * from './ioc/index.ts';
export * from './calendar/index.ts';
export * from './intake/index.ts';
export * from './stix/index.ts';
export * from './brand/index.ts';
