#!/usr/bin/env node
// Entry point for `npx redress`: runs the TypeScript sources through tsx, so a checkout
// works straight after `npm ci` with no build step (see docs/adr/0002-run-typescript-with-tsx.md).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
