// STIX 2.1 and MISP: pure helpers (no I/O beyond reading a stream you pass in). API in README.md beside this file.
export * from './patternAst.ts';
export { parsePattern, isValidPattern } from './patternParse.ts';
export * from './observables.ts';
export * from './schema.ts';
export * from './semantic.ts';
export * from './stream.ts';
export * from './tlp.ts';
export * from './misp.ts';
export * from './mispFeed.ts';
