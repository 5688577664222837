/**
 * Runs every benchmark (`npm run bench`), or those whose name contains an argument
 * (`npm run bench -- calendar`). Each benchmark measures its own baseline in the same run
 * and prints its figures with the ratio, so a noisy machine does not decide the result.
 */
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const files = (await readdir(here)).filter((f) => f.endsWith('-bench.ts')).sort();
let failed = 0;
for (const file of files) {
  const name = file.replace(/-bench\.ts$/, '');
  if (filters.length > 0 && !filters.some((f) => name.includes(f))) continue;
  console.log(`\n== ${name}`);
  const bench = (await import(path.join(here, file))) as { default: () => Promise<boolean> };
  const met = await bench.default();
  console.log(met ? `${name}: target met` : `${name}: TARGET MISSED`);
  if (!met) failed += 1;
}
process.exitCode = failed > 0 ? 1 : 0;
