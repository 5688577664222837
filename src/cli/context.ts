import { loadConfig } from '../config.ts';
import { createContainer, type Container } from '../container.ts';
import { createLogger } from '../logger.ts';

/** Opens the configured database (migrating it) for one command, and always closes it. */
export async function withContainer<T>(work: (container: Container) => Promise<T>): Promise<T> {
  const config = loadConfig();
  // Commands print their own results; the log says only what went wrong.
  const container = await createContainer(config, { logger: createLogger({ logLevel: config.logLevel === 'info' ? 'warn' : config.logLevel }) });
  try {
    return await work(container);
  } finally {
    await container.close();
  }
}

export function print(line = ''): void {
  process.stdout.write(`${line}\n`);
}
