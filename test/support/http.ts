/** Drives the real app over Fastify's inject: cookies kept between requests, CSRF tokens read from forms. */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Container } from '../../src/container.ts';
import type { Role } from '../../src/domain/users/roles.ts';
import { aStaffMember, aUser, TEST_PASSWORD } from './builders.ts';
import type { StaffActor } from '../../src/app/registration-service.ts';
import { multipart, type FilePart } from './multipart.ts';
import { codeAt, isStepUsed, rememberSecret, secretFromPage } from './authenticator.ts';

let browsers = 0;

export class Browser {
  private readonly cookies = new Map<string, string>();
  /** Names this browser's app in the authenticator's accounts (each test app has its own database). */
  private readonly id = `app-${String((browsers += 1))}`;

  constructor(private readonly app: FastifyInstance) {}

  async get(url: string): Promise<LightMyRequestResponse> {
    return this.keep(await this.app.inject({ method: 'GET', url, cookies: Object.fromEntries(this.cookies) }));
  }

  /** Posts a form. `_csrf` is taken from `fromPage` (a GET first) unless given. */
  async post(url: string, form: Record<string, string | string[]>, fromPage?: string): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams();
    const fields = { ...form };
    if (fromPage !== undefined && fields._csrf === undefined) fields._csrf = await this.csrfToken(fromPage);
    for (const [key, value] of Object.entries(fields)) {
      for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
    }
    return this.keep(
      await this.app.inject({
        method: 'POST',
        url,
        payload: body.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        cookies: Object.fromEntries(this.cookies),
      }),
    );
  }

  /** Posts a multipart form (as a browser sends a form with a file upload): the fields, then each file in its field. */
  async postMultipart(url: string, form: Readonly<Record<string, string | string[]>>, files: Readonly<Record<string, FilePart | undefined>>): Promise<LightMyRequestResponse> {
    const { payload, contentType } = multipart(form, files);
    return this.keep(await this.app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType }, cookies: Object.fromEntries(this.cookies) }));
  }

  async csrfToken(page: string): Promise<string> {
    const response = await this.get(page);
    const match = /name="_csrf" value="([^"]+)"/.exec(response.body);
    if (!match?.[1]) throw new Error(`no CSRF token on ${page} (status ${response.statusCode})`);
    return match[1];
  }

  /**
   * Signs in through the form. Where the account needs an authenticator (administrators), the
   * steps after the password are done too, with codes computed for `clock` (the server's):
   * setting up the app at the first sign-in, a code from it later.
   */
  async signIn(email: string, password: string, clock?: () => Date): Promise<LightMyRequestResponse> {
    let response = await this.post('/sign-in', { email, password }, '/sign-in');
    expect(response.statusCode, response.body).toBe(303);
    const account = `${this.id}|${email}`;
    for (let steps = 0; steps < 3; steps += 1) {
      const location = response.headers.location;
      if (location !== '/sign-in/authenticator' && location !== '/sign-in/code') return response;
      if (clock === undefined) throw new Error(`${email} needs an authenticator code: pass the server's clock to signIn`);
      if (location === '/sign-in/authenticator') {
        const page = await this.get(location);
        rememberSecret(account, secretFromPage(page.body));
        const done = await this.post(location, { code: codeAt(account, clock()).code }, location);
        expect(done.statusCode, done.body).toBe(200);
        const next = /<a class="govuk-button"[^>]*href="([^"]+)">\s*Continue/.exec(done.body)?.[1];
        if (next === undefined) throw new Error('no Continue link after setting up the authenticator');
        response = { ...done, headers: { ...done.headers, location: decodeEntities(next) } };
      } else {
        if (isStepUsed(account, clock())) throw new Error(`${email} already used this 30-second step's code: move the clock on`);
        response = await this.post(location, { code: codeAt(account, clock()).code }, location);
        expect(response.statusCode, response.body).toBe(303);
      }
    }
    return response;
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  private keep(response: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of response.cookies) {
      if (c.value === '' || (c.expires !== undefined && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return response;
  }
}

/** The text of the GOV.UK error summary's items, for asserting on error markup. */
export function errorSummary(html: string): string[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/div>\s*<\/div>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<a href="#[^"]*">([^<]*)<\/a>/g)].map((m) => decodeEntities((m[1] ?? '').trim()));
}

export function decodeEntities(text: string): string {
  return text
    .replaceAll('&#39;', "'")
    .replaceAll('&quot;', '"')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

/** A browser signed in as a new user with `roles`. */
export async function signedInAs(app: FastifyInstance, container: Container, ...roles: Role[]): Promise<Browser> {
  const browser = new Browser(app);
  const { email } = await aUser(container, ...roles);
  await browser.signIn(email, TEST_PASSWORD, container.clock);
  return browser;
}

/** A new staff member with these roles, signed in: their actor (for services) and their browser. */
export async function signedInPerson(app: FastifyInstance, container: Container, roles: readonly Role[]): Promise<{ actor: StaffActor; browser: Browser }> {
  const actor = await aStaffMember(container, roles);
  const browser = new Browser(app);
  await browser.signIn(actor.email, TEST_PASSWORD, container.clock);
  return { actor, browser };
}

/** A GOV.UK date input's three boxes (`name-day`, `name-month`, `name-year`) for an ISO date. */
export function dateFields(name: string, iso: string): Record<string, string> {
  const [year = '', month = '', day = ''] = iso.split('-');
  return { [`${name}-day`]: String(Number(day)), [`${name}-month`]: String(Number(month)), [`${name}-year`]: year };
}

/**
 * Registers a parent's Children Act complaint about Care Management North through the API
 * with `token`, received on `receivedOn`; returns its reference.
 */
export async function registerThroughApi(app: FastifyInstance, token: string, receivedOn: string): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/representations',
    headers: { authorization: `Bearer ${token}` },
    payload: {
      kind: 'children_statutory',
      received_on: receivedOn,
      channel: 'letter',
      summary: 'Contact visits were cancelled without notice.',
      complainant_role: 'parent',
      teams: ['Care Management North'],
      complainant: { name: 'Sam Parent' },
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  const reference = response.json<{ representations: { reference: string }[] }>().representations[0]?.reference;
  if (reference === undefined) throw new Error('no reference');
  return reference;
}
