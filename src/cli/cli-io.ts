import { readFile } from 'node:fs/promises';
import { DomainError } from '../domain/errors.ts';

/** An error the CLI reports as one line on stderr, with its exit code (2 = bad input). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The text of a file named on the command line; a one-line CliError when it cannot be read. */
export async function readInputFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    throw new CliError(`cannot read ${file}`);
  }
}

/** Runs `work`, turning a domain refusal into a one-line CLI error (exit code 2). */
export async function refusalsAsCliErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError) throw new CliError(error.message);
    throw error;
  }
}
