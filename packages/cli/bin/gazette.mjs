#!/usr/bin/env node
// Entry point of `npx gazette`: Gazette's packages are TypeScript source, loaded through tsx.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
