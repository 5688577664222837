/**
 * The GOV.UK Notify adapter, through the real notifications-node-client, against a small
 * HTTP server on loopback that answers as Notify's email endpoint does (Notify itself
 * cannot be reached from tests). The server checks the client's signed token.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { testClock, testConfig, testContainer } from '../support/builders.ts';
import { GovukNotifyTransport } from '../../src/notify/transports.ts';
import { enqueue } from '../../src/notify/outbox.ts';

const SERVICE_ID = '6f1f8a2c-3d4e-4b5a-9c8d-7e6f5a4b3c2d';
const SECRET = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const API_KEY = `redress_test-${SERVICE_ID}-${SECRET}`;
const ALLOCATION_TEMPLATE = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
const GENERAL_TEMPLATE = '9b2f6a1e-0c3d-4e5f-8a7b-6c5d4e3f2a1b';

interface FakeNotify {
  readonly url: string;
  readonly requests: Record<string, unknown>[];
  /** The status the next requests get (201 when empty). */
  readonly failWith: number[];
  close(): Promise<void>;
}

function base64url(input: string): string {
  return Buffer.from(input).toString('base64url');
}

/** Accepts POST /v2/notifications/email with a valid HS256 token from the service, as Notify does. */
async function startFakeNotify(): Promise<FakeNotify> {
  const requests: Record<string, unknown>[] = [];
  const failWith: number[] = [];
  const server: Server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    request.on('end', () => {
      const send = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      const [header = '', payload = '', signature = ''] = (/^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '').split('.');
      const expected = createHmac('sha256', SECRET).update(`${header}.${payload}`).digest('base64url');
      const claims = JSON.parse(Buffer.from(payload || base64url('{}'), 'base64url').toString('utf8')) as { iss?: string };
      if (signature !== expected || claims.iss !== SERVICE_ID) {
        send(403, { status_code: 403, errors: [{ error: 'AuthError', message: 'Invalid token: signature' }] });
        return;
      }
      if (request.method !== 'POST' || request.url !== '/v2/notifications/email') {
        send(404, { status_code: 404, errors: [{ error: 'NotFound', message: 'Not found' }] });
        return;
      }
      const body = JSON.parse(text) as Record<string, unknown>;
      const status = failWith.shift();
      if (status !== undefined) {
        send(status, { status_code: status, errors: [{ error: status === 400 ? 'BadRequestError' : 'Exception', message: `Can’t send to ${String(body.email_address)}` }] });
        return;
      }
      requests.push(body);
      send(201, { id: randomUUID(), reference: body.reference, content: { subject: 's', body: 'b', from_email: 'x@notifications.service.gov.uk' }, uri: 'u', template: { id: body.template_id, version: 1, uri: 'u' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}`,
    requests,
    failWith,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

const email = { outboxId: 7, templateKey: 'allocation', to: 'rm@council.example', subject: 'Complaint CSC-2026-0042', body: 'Open it', personalisation: { reference: 'CSC-2026-0042', due_on: '8 December 2026' } };

describe('GOV.UK Notify transport', () => {
  let notify: FakeNotify;
  beforeAll(async () => {
    notify = await startFakeNotify();
  });
  afterAll(async () => {
    await notify.close();
  });
  beforeEach(() => {
    notify.requests.length = 0;
    notify.failWith.length = 0;
  });

  it('sends a message with its own Notify template, with the values as personalisation', async () => {
    const transport = new GovukNotifyTransport(API_KEY, notify.url, { allocation: ALLOCATION_TEMPLATE }, GENERAL_TEMPLATE);
    const result = await transport.send(email);
    expect(result.providerMessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(notify.requests).toEqual([{ template_id: ALLOCATION_TEMPLATE, email_address: 'rm@council.example', personalisation: email.personalisation, reference: 'redress-7' }]);
  });

  it('sends any other message through the general template, as subject and body', async () => {
    const transport = new GovukNotifyTransport(API_KEY, notify.url, {}, GENERAL_TEMPLATE);
    await transport.send(email);
    expect(notify.requests).toEqual([{ template_id: GENERAL_TEMPLATE, email_address: 'rm@council.example', personalisation: { subject: email.subject, body: email.body }, reference: 'redress-7' }]);
  });

  it('describes failures in codes only, never with the address', async () => {
    const transport = new GovukNotifyTransport(API_KEY, notify.url, { allocation: ALLOCATION_TEMPLATE }, undefined);
    notify.failWith.push(400);
    const error = await transport.send(email).catch((e: unknown) => e);
    expect(transport.describeError(error)).toBe('govuk_notify 400 BadRequestError');
    const noTemplate = await transport.send({ ...email, templateKey: 'daily_digest' }).catch((e: unknown) => e);
    expect(transport.describeError(noTemplate)).toBe('govuk_notify no template id for daily_digest');
    const unreachable = new GovukNotifyTransport(API_KEY, 'http://127.0.0.1:1', { allocation: ALLOCATION_TEMPLATE }, undefined);
    expect(unreachable.describeError(await unreachable.send(email).catch((e: unknown) => e))).toBe('govuk_notify ECONNREFUSED');
  });
});

describeEachEngine('outbox delivery through GOV.UK Notify', (database) => {
  let notify: FakeNotify;
  beforeAll(async () => {
    notify = await startFakeNotify();
  });
  afterAll(async () => {
    await notify.close();
  });

  it('delivers, retrying after a Notify server error', async () => {
    const clock = testClock();
    const config = testConfig({ NOTIFY_TRANSPORT: 'govuk_notify', GOVUK_NOTIFY_API_KEY: API_KEY, GOVUK_NOTIFY_BASE_URL: notify.url, GOVUK_NOTIFY_TEMPLATE_ID: GENERAL_TEMPLATE, PUBLIC_BASE_URL: 'https://redress.example' });
    const container = await testContainer(database(), clock, config);
    await enqueue(database().db.kysely, { idempotencyKey: 'test:notify', templateKey: 'allocation', recipient: 'rm@council.example', personalisation: { reference: 'CSC-2026-0042', due_on: '2026-12-08' } }, clock());
    notify.failWith.push(500);
    expect(await container.notifications.deliverOnce()).toMatchObject({ claimed: 1, retrying: 1 });
    const failed = await database().db.kysely.selectFrom('notification_outbox').selectAll().executeTakeFirstOrThrow();
    expect(failed).toMatchObject({ status: 'pending', last_error: 'govuk_notify 500 Exception' });
    clock.advance(60_000);
    expect(await container.notifications.deliverOnce()).toMatchObject({ sent: 1 });
    expect(notify.requests).toHaveLength(1);
    expect(notify.requests[0]).toMatchObject({
      template_id: GENERAL_TEMPLATE,
      email_address: 'rm@council.example',
      personalisation: { subject: 'Complaint CSC-2026-0042 has been allocated to you', body: expect.stringContaining('https://redress.example/cases/CSC-2026-0042') as unknown },
    });
    const sent = await database().db.kysely.selectFrom('notification_outbox').selectAll().executeTakeFirstOrThrow();
    expect(sent).toMatchObject({ status: 'sent', provider_message_id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown });
    await container.notifications.stop();
  });
});
