import type { Migration } from '../migrator.ts';
import { foundation } from './0001-foundation.ts';
import { calendarAndClocks } from './0002-calendar-and-clocks.ts';
import { representations } from './0003-representations.ts';
import { apiTokens } from './0004-api-tokens.ts';

/** Every migration, oldest first. Never edit one that has shipped: add a new one. */
export const migrations: readonly Migration[] = [foundation, calendarAndClocks, representations, apiTokens];
