/**
 * `npm run calendar:build`: rewrites the shipped bank-holiday file from the rules and
 * proclamations in `src/domain/calendar/bank-holiday-rules.ts`. Run it after changing them
 * (a new proclamation, a longer range); the unit tests fail while the file is out of date.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildShippedBankHolidaysFile } from '../domain/calendar/bank-holidays-file.ts';

const target = fileURLToPath(new URL('../domain/calendar/bank-holidays-england-and-wales.json', import.meta.url));
const text = buildShippedBankHolidaysFile();
await writeFile(target, text, 'utf8');
console.log(`Wrote ${target}`);
