#!/usr/bin/env node
// The `renkei` command. Node 20 cannot run TypeScript, so tsx's loader is registered first.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv);
