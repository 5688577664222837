/**
 * A real OpenID Connect provider (`oidc-provider`) on a loopback port, for single sign-on
 * tests: one confidential client (Redress), PKCE required, and test accounts whose claims
 * the test chooses. Its development login page takes any login (the account's id) and any
 * password, then asks for consent.
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import Provider from 'oidc-provider';
import { freePort } from './ports.ts';

export interface TestAccount {
  readonly email?: string;
  readonly emailVerified?: boolean;
  readonly name?: string;
  readonly groups?: readonly string[];
}

export interface TestProvider {
  /** `http://127.0.0.1:PORT` */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Adds (or replaces) an account, signed in with `login` as its login. */
  addAccount(login: string, account: TestAccount): void;
  close(): Promise<void>;
}

/** Starts a provider whose client may be sent back to any of `redirectUris` (one Redress each). */
export async function startTestProvider(...redirectUris: string[]): Promise<TestProvider> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${String(port)}`;
  const clientId = 'redress-test';
  const clientSecret = 'redress-test-client-secret-redress-test-client-secret';
  const accounts = new Map<string, TestAccount>();
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    scopes: ['openid', 'email', 'profile', 'groups'],
    pkce: { required: () => true, methods: ['S256'] },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['oidc-test-cookie-key-oidc-test-cookie-key'] },
    findAccount: (_context, id) => {
      const account = accounts.get(id);
      if (account === undefined) return undefined;
      return {
        accountId: id,
        claims: () => ({
          sub: id,
          ...(account.email === undefined ? {} : { email: account.email, email_verified: account.emailVerified ?? true }),
          ...(account.name === undefined ? {} : { name: account.name }),
          groups: [...(account.groups ?? [])],
        }),
      };
    },
  });
  const server: Server = provider.listen(port, '127.0.0.1');
  if (!server.listening) await once(server, 'listening');
  return {
    issuer,
    clientId,
    clientSecret,
    addAccount: (login, account) => {
      accounts.set(login, account);
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}
