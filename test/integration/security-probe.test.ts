/**
 * The security probe's findings over HTTP, on both engines: forwarded addresses believed only
 * as far as TRUST_PROXY says, sign-in's returnTo kept on the site, no-store on every response
 * but the static assets, exports only for those who read cases in full, public staged uploads
 * bounded per address and in all, and an unknown lesson a quiet 404.
 */
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { aStaffMember, testClock, testConfig, testContainer } from '../support/builders.ts';
import { Browser, errorSummary, signedInAs } from '../support/http.ts';
import { PublicVisitor, YOUNG_COMPLAINT, formOf, pageOf } from '../support/public-visitor.ts';
import { PDF } from '../support/file-samples.ts';
import { createApp } from '../../src/web/app.ts';
import { createContainer, type Container } from '../../src/container.ts';
import { AttachmentService } from '../../src/app/attachment-service.ts';
import { DomainError } from '../../src/domain/errors.ts';
import { CLI_ACTOR } from '../../src/app/clock.ts';

const aPdf = (note: string, padding = 0): Buffer => Buffer.concat([PDF, Buffer.from(`% ${note}\n`), Buffer.alloc(padding, 0x20)]);

describeEachEngine('security probe', (database) => {
  describe('TRUST_PROXY', () => {
    async function ipSeen(trustProxy: string | undefined, remoteAddress: string, forwardedFor: string): Promise<string> {
      const container = await testContainer(database(), testClock(), testConfig(trustProxy === undefined ? {} : { TRUST_PROXY: trustProxy }));
      const app = await createApp(container);
      app.get('/probe/ip', { config: { access: 'public' } }, (request) => ({ ip: request.ip }));
      try {
        const response = await app.inject({ method: 'GET', url: '/probe/ip', remoteAddress, headers: { 'x-forwarded-for': forwardedFor } });
        return (response.json<{ ip: string }>()).ip;
      } finally {
        await app.close();
      }
    }

    it('with a hop count of 1 believes only the address the one proxy added, never a forged leftmost one', async () => {
      expect(await ipSeen('1', '10.0.0.5', '198.51.100.66, 203.0.113.7')).toBe('203.0.113.7');
      expect(await ipSeen('1', '10.0.0.5', '203.0.113.7')).toBe('203.0.113.7');
    });

    it('with addresses believes only those proxies', async () => {
      expect(await ipSeen('10.0.0.0/8', '10.0.0.5', '198.51.100.66, 203.0.113.7')).toBe('203.0.113.7');
      expect(await ipSeen('10.0.0.0/8', '192.0.2.1', '198.51.100.66')).toBe('192.0.2.1');
    });

    it('unset, believes no X-Forwarded-For at all', async () => {
      expect(await ipSeen(undefined, '192.0.2.1', '198.51.100.66')).toBe('192.0.2.1');
    });
  });

  describe('pages', () => {
    let container: Container;
    let app: FastifyInstance;
    const logLines: { level: number; msg: string }[] = [];

    beforeAll(async () => {
      const sink = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as { level: number; msg: string });
          callback();
        },
      });
      const config = testConfig({ PUBLIC_UPLOAD_MAX_STAGED_BYTES: String(PDF.length * 3 + 200) });
      container = await createContainer({ ...config, database: database().config }, { db: database().db, clock: testClock(), logger: pino({ level: 'info' }, sink) });
      await container.demo.ensure({ withCases: false });
      app = await createApp(container);
    });
    afterAll(async () => {
      await app.close();
    });

    describe('sign-in returnTo', () => {
      it.each(['%2F%09%2Fevil.example', '%2F%0A%2Fevil.example', '%2F%0D%0ASet-Cookie%3A%20a%3Db', '%2F%5Cevil.example', '%2F%2F%2Fevil.example', 'https%3A%2F%2Fevil.example', '%2F%E3%80%80%2Fevil.example'])(
        'sends a signed-in user with returnTo=%s to the dashboard, not off the site or to an error',
        async (returnTo) => {
          const browser = await signedInAs(app, container, 'viewer');
          const response = await browser.get(`/sign-in?returnTo=${returnTo}`);
          expect(response.statusCode).toBe(302);
          expect(response.headers.location).toBe('/dashboard');
        },
      );

      it('does not carry a bad returnTo into the sign-in form, and a good one comes back', async () => {
        const visitor = new Browser(app);
        const bad = await visitor.get('/sign-in?returnTo=%2F%0A%2Fevil.example');
        expect(bad.statusCode).toBe(200);
        expect(bad.body).not.toContain('name="returnTo"');
        const good = await visitor.get('/sign-in?returnTo=%2Fcases%3Fpage%3D2');
        expect(good.body).toContain('name="returnTo" value="/cases?page=2"');
        const { email } = await aStaffMember(container, ['viewer']);
        const signedIn = await visitor.post('/sign-in', { email, password: 'correct-horse-battery', returnTo: '/\t/evil.example' }, '/sign-in');
        expect(signedIn.statusCode).toBe(303);
        expect(signedIn.headers.location).toBe('/dashboard');
      });
    });

    it('marks every response but the static assets no-store', async () => {
      const manager = await signedInAs(app, container, 'complaints_manager', 'admin');
      for (const url of ['/dashboard', '/cases', '/reports/annual', '/reports/export', '/reports/export?year=2024&format=csv', '/learning', '/admin/users', '/sign-in', '/contact-us', '/no-such-page']) {
        const response = await manager.get(url);
        expect(response.statusCode, url).toBeLessThan(500);
        expect(response.headers['cache-control'], url).toBe('no-store');
      }
      const api = await app.inject({ method: 'GET', url: '/api/v1/lessons' });
      expect(api.statusCode).toBe(401);
      expect(api.headers['cache-control']).toBe('no-store');
      const { token } = await container.apiTokens.create((await aStaffMember(container, ['complaints_manager'])).email, 'probe', ['learning:read'], CLI_ACTOR);
      const json = await app.inject({ method: 'GET', url: '/api/v1/lessons', headers: { authorization: `Bearer ${token}` } });
      expect(json.statusCode).toBe(200);
      expect(json.headers['cache-control']).toBe('no-store');
      const asset = await app.inject({ method: 'GET', url: '/assets/app.css' });
      expect(asset.statusCode).toBe(200);
      expect(asset.headers['cache-control']).not.toContain('no-store');
    });

    it('lets administrators run import but not export case content; complaints managers export', async () => {
      const admin = await signedInAs(app, container, 'admin');
      const hub = await admin.get('/reports/export');
      expect(hub.statusCode).toBe(200);
      expect(hub.body).not.toContain('Download file');
      expect(hub.body).toContain('/admin/import');
      expect((await admin.get('/reports/export?year=2024&format=csv')).statusCode).toBe(403);
      expect((await admin.get('/reports/export?year=2024&format=xlsx')).statusCode).toBe(403);
      const manager = await signedInAs(app, container, 'complaints_manager');
      expect((await manager.get('/reports/export')).body).toContain('Download file');
      const csv = await manager.get('/reports/export?year=2024&format=csv');
      expect(csv.statusCode).toBe(200);
      expect(csv.headers['content-type']).toContain('text/csv');
    });

    it('shows a new user’s one-time password once, to the administrator who added them, never cached', async () => {
      const admin = await signedInAs(app, container, 'admin');
      const csrf = await admin.csrfToken('/admin/users/new');
      const added = await admin.post('/admin/users/new', { _csrf: csrf, name: 'Probe Person', email: `probe-${String(Date.now())}@test.example`, team: '', roles: 'viewer' });
      expect(added.statusCode, added.body.slice(0, 500)).toBe(200);
      const password = /id="one-time-password">([^<]+)</.exec(added.body)?.[1] ?? '';
      expect(password.length).toBeGreaterThan(8);
      expect(added.headers['cache-control']).toBe('no-store');
      const list = await admin.get('/admin/users');
      expect(list.body).not.toContain(password);
    });

    it('answers an unknown lesson with a quiet 404, on the page and in the API', async () => {
      const officer = await signedInAs(app, container, 'complaints_officer');
      const before = logLines.length;
      for (const url of ['/learning/999999', '/learning/999999/edit', '/learning/lessons/999999', '/learning/99999999999999999999', '/learning/actions/999999/complete']) {
        const response = await officer.get(url);
        expect(response.statusCode, url).toBe(404);
        expect(response.body, url).toContain('Page not found');
      }
      const { token } = await container.apiTokens.create((await aStaffMember(container, ['complaints_officer'])).email, 'probe', ['learning:read'], CLI_ACTOR);
      for (const url of ['/api/v1/lessons/999999', '/api/v1/lessons/99999999999999999999', '/api/v1/learning-actions/999999']) {
        const response = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
        expect(response.statusCode, url).toBe(404);
        expect(response.json<{ error: { code: string } }>().error.code, url).toMatch(/not_found/);
      }
      const loud = logLines.slice(before).filter((line) => line.level >= 50);
      expect(loud).toEqual([]);
    });

    it('refuses a public upload that would take staged files over the total, with an error summary', async () => {
      const visitors: { visitor: PublicVisitor; key: string }[] = [];
      for (let i = 0; i < 4; i += 1) {
        const visitor = new PublicVisitor(app);
        await visitor.reachCheck(YOUNG_COMPLAINT);
        await visitor.change('files');
        visitors.push({ visitor, key: formOf(visitor.page?.body ?? '').hidden._key ?? '' });
      }
      for (const [i, { visitor }] of visitors.slice(0, 3).entries()) {
        const { action, body } = visitor.formWith({ _upload: 'yes' });
        const response = await visitor.postFile(action, body, { name: `letter-${String(i)}.pdf`, bytes: aPdf(`file ${String(i)}`) });
        expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
        expect(errorSummary(response.body)).toEqual([]);
      }
      const last = visitors[3];
      if (last === undefined) throw new Error('no fourth visitor');
      const { action, body } = last.visitor.formWith({ _upload: 'yes' });
      const refused = await last.visitor.postFile(action, body, { name: 'one-too-many.pdf', bytes: aPdf('one too many', 300) });
      expect(refused.statusCode).toBe(400);
      expect(pageOf(refused.body)).toBe('files');
      expect(errorSummary(refused.body)).toEqual(['The service cannot take more files just now. Try again later, or send your message without files.']);
      const rows = await database().db.kysely.selectFrom('attachment').select('id').where('staging_key', '=', last.key).execute();
      expect(rows).toEqual([]);
    });
  });

  describe('staged uploads per source', () => {
    it('bounds the bytes one address keeps staged across journeys; others, and files sent or removed, are not counted', async () => {
      const container = await testContainer(database());
      const size = aPdf('x').length;
      const limits = { totalBytes: 1024 * 1024, perSourceBytes: size * 2 + 10 };
      // Two services, as two processes would have: the limit is counted in the database, shared by both.
      const service = new AttachmentService(database().db.kysely, testClock(), container.config.attachmentsDir, limits);
      const otherProcess = new AttachmentService(database().db.kysely, testClock(), container.config.attachmentsDir, limits);
      const source = '203.0.113.50';
      const journeys = ['k-probe-1', 'k-probe-2', 'k-probe-3'].map((k) => `${k}-${database().engine}`);
      const [j1 = '', j2 = '', j3 = ''] = journeys;
      await service.stage(j1, { fileName: 'a.pdf', bytes: aPdf('a') }, source);
      const second = await otherProcess.stage(j2, { fileName: 'b.pdf', bytes: aPdf('b') }, source);
      const refusal = await service.stage(j3, { fileName: 'c.pdf', bytes: aPdf('c') }, source).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refusal).toBeInstanceOf(DomainError);
      expect((refusal as DomainError).code).toBe('too_many_staged');
      expect((refusal as DomainError).field).toBe('file');
      // Another address is not held back by this one.
      await service.stage(`${j3}-elsewhere`, { fileName: 'c.pdf', bytes: aPdf('c') }, '198.51.100.9');
      // A file removed no longer counts.
      expect(await service.removeStaged(j2, second.id)).toBe(true);
      await service.stage(`${j3}-again`, { fileName: 'd.pdf', bytes: aPdf('d') }, source);
      // The address is kept only as a hash, and only while a file is staged.
      const kept = await database().db.kysely.selectFrom('attachment').select('staged_source').where('staging_key', '=', j1).executeTakeFirstOrThrow();
      expect(kept.staged_source).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(await database().db.kysely.selectFrom('attachment').selectAll().execute())).not.toContain(source);
    });
  });
});
