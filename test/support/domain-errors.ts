import { DomainError } from '../../src/domain/errors.ts';

/** The code of the DomainError `action` throws, or undefined when it throws none. */
export function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return undefined;
}

/** The code of the DomainError `work` rejects with, or undefined when it resolves. */
export async function codeOfAsync(work: Promise<unknown>): Promise<string | undefined> {
  try {
    await work;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return undefined;
}
