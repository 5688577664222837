import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { CLI_ACTOR } from '../app/clock.ts';
import type { SubjectRef } from '../app/subject-access-service.ts';
import { subjectAccessFiles } from '../reports/subject-access/subject-access-files.ts';
import { CliError, refusalsAsCliErrors } from './cli-io.ts';
import { print, withContainer } from './context.ts';

interface SarOptions {
  youngPerson?: string;
  complainant?: string;
  out: string;
}

/** The person the options name: exactly one of --young-person and --complainant. */
export function subjectOf(options: { youngPerson?: string; complainant?: string }): SubjectRef {
  const young = options.youngPerson?.trim() ?? '';
  const complainant = options.complainant?.trim() ?? '';
  if ((young === '') === (complainant === '')) throw new CliError('name one person: --young-person ID or --complainant ID (not both)');
  return young === '' ? { kind: 'complainant', id: complainant } : { kind: 'young_person', id: young };
}

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw new CliError(`cannot use ${dir}: it is not a directory`);
  }
}

export function registerSarCommands(program: Command): void {
  const sar = program.command('sar').description('subject access requests: every record about a young person or a complainant');

  sar
    .command('export')
    .description('write one bundle of every record about a person: subject-access.json, a readable subject-access.docx and the case files, with other people’s details marked for redaction; the export is audited')
    .option('--young-person <id>', 'the young person’s id as recorded on their cases')
    .option('--complainant <id>', 'the complainant’s contact record id, or their email address')
    .requiredOption('--out <dir>', 'a new (or empty) directory to write the bundle into')
    .action(async (options: SarOptions) => {
      const subject = subjectOf(options);
      const out = path.resolve(options.out);
      if (!(await isEmptyOrMissing(out))) throw new CliError(`${options.out} is not empty: name a new directory`);
      return withContainer(async (c) => {
        const gathered = await refusalsAsCliErrors(() => c.subjectAccess.gather(subject, CLI_ACTOR));
        const files = await subjectAccessFiles(gathered, c.config.councilName);
        // Written beside the destination and moved into place whole: a failure leaves nothing half-written.
        const partial = `${out}.partial-${String(process.pid)}`;
        try {
          for (const file of files) {
            const target = path.join(partial, ...file.name.split('/'));
            await mkdir(path.dirname(target), { recursive: true });
            await writeFile(target, file.bytes);
          }
          await rm(out, { recursive: true, force: true });
          await rename(partial, out);
        } catch (error) {
          await rm(partial, { recursive: true, force: true });
          throw new CliError(`cannot write the bundle to ${options.out}: ${error instanceof Error ? error.message : String(error)}`, 1);
        }
        const { bundle } = gathered;
        print(`Subject access bundle written to ${options.out}: ${String(bundle.cases.length)} ${bundle.cases.length === 1 ? 'case' : 'cases'}, ${String(bundle.files.length)} ${bundle.files.length === 1 ? 'file' : 'files'}, ${String(bundle.redactions.length)} ${bundle.redactions.length === 1 ? 'value' : 'values'} marked for redaction.`);
      });
    });
}
