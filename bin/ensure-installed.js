#!/usr/bin/env node
// Runs before `npm start`: on a fresh clone (or after the lockfile changed) it installs the
// exact dependencies with `npm ci`, so that one command takes a newcomer to a running Redress.
import { existsSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const marker = 'node_modules/.package-lock.json';
const isCurrent = existsSync(marker) && statSync(marker).mtimeMs >= statSync('package-lock.json').mtimeMs;
if (!isCurrent) {
  console.log('Installing dependencies (npm ci); the first time takes a few minutes…');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
