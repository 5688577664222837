/** The part of `oidc-provider` (which ships no types) the tests use to run a real provider on loopback. */
declare module 'oidc-provider' {
  import type { Server } from 'node:http';

  interface Account {
    readonly accountId: string;
    claims(use: string, scope: string): Promise<Record<string, unknown>> | Record<string, unknown>;
  }

  interface ProviderConfiguration {
    clients?: readonly Record<string, unknown>[];
    claims?: Readonly<Record<string, readonly string[]>>;
    scopes?: readonly string[];
    pkce?: { required?: () => boolean; methods?: readonly string[] };
    features?: Readonly<Record<string, { enabled: boolean }>>;
    cookies?: { keys?: readonly string[] };
    findAccount?: (context: unknown, id: string) => Promise<Account | undefined> | Account | undefined;
    ttl?: Readonly<Record<string, number>>;
    renderError?: (context: { type: string; body: string }, out: Record<string, unknown>, error: Error) => Promise<void> | void;
  }

  export default class Provider {
    constructor(issuer: string, configuration?: ProviderConfiguration);
    listen(port: number, host?: string): Server;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }
}
