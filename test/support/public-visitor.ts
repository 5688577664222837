/**
 * A member of the public going through `/contact-us` over Fastify's inject: cookies kept, each
 * page's form read back (its action and hidden fields, as a browser would send them) and
 * posted with the answers typed. Each visitor has its own address, so per-address rate limits
 * do not leak between tests.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { decodeEntities } from './http.ts';

/** A child's complaint, every question answered, asking for replies by email. */
export const YOUNG_COMPLAINT = {
  topic: 'complaint',
  who: 'child',
  what_happened: 'My social worker did not come to my review.\nNobody told me why.',
  what_would_help: 'I want to know why and to have a new meeting.',
  advocate: 'yes',
  name: 'Sam Young',
  contact: 'email',
  contact_email: 'sam@example.org',
  safe_contact: 'Only email, please.',
};

/** A multipart/form-data body: the fields, then the file (an empty file part, as a browser sends, when there is none). */
export function multipartBody(form: Readonly<Record<string, string>>, file?: { name: string; bytes: Buffer; type?: string }): { payload: Buffer; contentType: string } {
  const boundary = `----redress${String(Date.now())}${String(Math.random()).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(form)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`, 'utf8'));
  }
  parts.push(
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file?.name ?? ''}"\r\nContent-Type: ${file?.type ?? 'application/octet-stream'}\r\n\r\n`, 'utf8'),
    file?.bytes ?? Buffer.alloc(0),
    Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'),
  );
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

let lastAddress = 0;

/** A fresh test address (198.51.100.0/24 is reserved for documentation). */
export function nextAddress(): string {
  lastAddress += 1;
  return `198.51.${String(100 + Math.floor(lastAddress / 250))}.${String((lastAddress % 250) + 1)}`;
}

export interface PageForm {
  readonly action: string;
  /** The hidden fields, decoded, in page order. */
  readonly hidden: Readonly<Record<string, string>>;
}

const attribute = (tag: string, name: string): string | undefined => {
  const match = new RegExp(`\\s${name}(?:="([^"]*)")?`).exec(tag);
  return match === null ? undefined : decodeEntities(match[1] ?? '');
};

/** The first form on a page: its action and hidden fields. */
export function formOf(html: string): PageForm {
  const form = /<form method="post" action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
  if (!form) throw new Error('no form on the page');
  const hidden: Record<string, string> = {};
  for (const match of (form[2] ?? '').matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    hidden[decodeEntities(match[1] ?? '')] = decodeEntities(match[2] ?? '');
  }
  return { action: decodeEntities(form[1] ?? ''), hidden };
}

/** What a browser would send from the first form as it stands: hidden fields, typed values, checked radios. */
export function valuesOf(html: string): Record<string, string> {
  const form = /<form method="post" action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(html)?.[2] ?? '';
  const values: Record<string, string> = {};
  for (const [tag] of form.matchAll(/<input\b[^>]*>/g)) {
    const name = attribute(tag, 'name');
    const type = attribute(tag, 'type') ?? 'text';
    if (name === undefined) continue;
    if (type === 'radio' || type === 'checkbox') {
      if (attribute(tag, 'checked') !== undefined) values[name] = attribute(tag, 'value') ?? 'on';
    } else {
      values[name] = attribute(tag, 'value') ?? '';
    }
  }
  for (const match of form.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    const name = attribute(match[1] ?? '', 'name');
    if (name !== undefined) values[name] = decodeEntities((match[2] ?? '').replace(/^\n/, ''));
  }
  return values;
}

/** The question a journey page asks (its `_question`), or 'check' for "Check your answers". */
export function pageOf(html: string): string {
  if (html.includes('<h1 class="govuk-heading-l">Check your answers</h1>')) return 'check';
  return formOf(html).hidden._question ?? 'unknown';
}

export class PublicVisitor {
  private readonly cookies = new Map<string, string>();
  /** The last page seen. */
  page: LightMyRequestResponse | undefined;

  constructor(
    private readonly app: FastifyInstance,
    readonly address: string = nextAddress(),
  ) {}

  async get(url: string): Promise<LightMyRequestResponse> {
    this.page = this.keep(await this.app.inject({ method: 'GET', url, cookies: Object.fromEntries(this.cookies), remoteAddress: this.address }));
    return this.page;
  }

  async post(url: string, form: Readonly<Record<string, string>>): Promise<LightMyRequestResponse> {
    const response = this.keep(
      await this.app.inject({
        method: 'POST',
        url,
        payload: new URLSearchParams(form).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        cookies: Object.fromEntries(this.cookies),
        remoteAddress: this.address,
      }),
    );
    this.page = response;
    return response;
  }

  /** Posts a multipart form (as a browser sends a form with a file input), with `file` in the field `file` when given. */
  async postFile(url: string, form: Readonly<Record<string, string>>, file?: { name: string; bytes: Buffer; type?: string }): Promise<LightMyRequestResponse> {
    const { payload, contentType } = multipartBody(form, file);
    const response = this.keep(
      await this.app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType }, cookies: Object.fromEntries(this.cookies), remoteAddress: this.address }),
    );
    this.page = response;
    return response;
  }

  /** The body the current page's form would send with `answers` typed in, and where to. */
  formWith(answers: Readonly<Record<string, string>> = {}): { action: string; body: Record<string, string> } {
    if (!this.page) throw new Error('no page yet');
    const { action } = formOf(this.page.body);
    return { action, body: { ...valuesOf(this.page.body), ...answers } };
  }

  /** Answers the current page and presses its main button. */
  async answer(answers: Readonly<Record<string, string>> = {}): Promise<LightMyRequestResponse> {
    const { action, body } = this.formWith(answers);
    return this.post(action, body);
  }

  /** On "Check your answers": presses the Change button of `questionId`. */
  async change(questionId: string): Promise<LightMyRequestResponse> {
    const { body } = this.formWith({ _change: questionId });
    return this.post('/contact-us', body);
  }

  /**
   * From the start, answers each page the journey shows with `answers` (the fields of each
   * page taken from it), until "Check your answers".
   */
  async reachCheck(answers: Readonly<Record<string, string>>): Promise<string[]> {
    await this.get('/contact-us');
    const seen: string[] = [];
    for (let step = 0; step < 20; step++) {
      const page = this.page;
      if (!page) throw new Error('no page');
      const current = pageOf(page.body);
      if (current === 'check') return seen;
      expect(page.statusCode, `${current}: ${page.body.slice(0, 200)}`).toBe(200);
      seen.push(current);
      await this.answer(answers);
    }
    throw new Error(`the journey did not reach "Check your answers": ${seen.join(', ')}`);
  }

  private keep(response: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of response.cookies) {
      if (c.value === '') this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return response;
  }
}
