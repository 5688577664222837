/**
 * Stopping a real `redress serve` (a child process) on both engines: SIGTERM during a slow
 * request lets the request finish, refuses new connections, closes the database (SQLite's
 * write-ahead log checkpointed) and exits 0; a second signal stops it at once with 1. Every
 * log line of a request carries its id.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, ENGINES, type TestDatabase } from '../support/databases.ts';
import { aUser, testContainer, TEST_PASSWORD } from '../support/builders.ts';
import { freePort } from '../support/ports.ts';

const bin = path.resolve(import.meta.dirname, '../../bin/redress.js');

interface Server {
  readonly child: ChildProcess;
  readonly port: number;
  readonly base: string;
  readonly logs: Record<string, unknown>[];
  readonly exited: Promise<number | null>;
}

async function startServer(databaseUrl: string, args: readonly string[] = []): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [bin, 'serve', ...args], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'info', DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', SESSION_SECRET: 'shutdown-secret-shutdown-secret-00' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const logs: Record<string, unknown>[] = [];
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // Not a log line ("Redress is running at …").
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => { resolve(code); }));
  const base = `http://127.0.0.1:${String(port)}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server stopped with ${String(child.exitCode)}`);
    if (await fetch(`${base}/health/ready`).then((r) => r.ok, () => false)) return { child, port, base, logs, exited };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error('the server did not become ready');
}

/** Whether a new TCP connection to `port` is refused. */
function isRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => { resolve(error.code === 'ECONNREFUSED'); });
  });
}

/**
 * Starts a sign-in whose body arrives in two parts: the request is in flight until `finish` is
 * called. Resolves to the response's status once it completes.
 */
async function slowSignIn(server: Server, email: string): Promise<{ finish: () => void; response: Promise<{ status: number }> }> {
  const page = await fetch(`${server.base}/sign-in`, { headers: { connection: 'close' } });
  const html = await page.text();
  const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const body = new URLSearchParams({ email, password: TEST_PASSWORD, _csrf: csrf }).toString();
  const half = Math.floor(body.length / 2);
  const request = http.request(`${server.base}/sign-in`, {
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)), cookie },
  });
  const response = new Promise<{ status: number }>((resolve, reject) => {
    request.on('response', (res) => {
      res.resume();
      res.on('end', () => { resolve({ status: res.statusCode ?? 0 }); });
    });
    request.on('error', reject);
  });
  request.write(body.slice(0, half));
  request.flushHeaders();
  return {
    finish: () => {
      request.end(body.slice(half));
    },
    response,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The ids of the Node processes `pid` started (not the compiler's helper, which it may start too), from /proc. */
function childrenOf(pid: number | undefined): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // it ended meanwhile
    }
    // "pid (command) state ppid …": the command may hold spaces, so read around its brackets.
    const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (parent === pid && command === 'node') children.push(Number(entry));
  }
  return children;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

for (const engine of ENGINES) {
  describe.skipIf(engine === 'postgres' && inject('postgresUrl') === null)(`stopping serve [${engine}]`, () => {
    let database: TestDatabase;
    let email: string;
    const started: Server[] = [];

    beforeAll(async () => {
      database = await createTestDatabase(engine);
      ({ email } = await aUser(await testContainer(database), 'viewer'));
    });
    afterAll(async () => {
      for (const server of started) if (server.child.exitCode === null) server.child.kill('SIGKILL');
      await database.close();
    });

    it('on SIGTERM finishes the request in flight, refuses new connections, closes the database and exits 0', async () => {
      const server = await startServer(database.url);
      started.push(server);
      const inFlight = await slowSignIn(server, email);
      await sleep(300);
      server.child.kill('SIGTERM');
      await sleep(700);
      // Still running (the request is not finished), but taking no new connections.
      expect(server.child.exitCode).toBeNull();
      expect(await isRefused(server.port)).toBe(true);
      inFlight.finish();
      const { status } = await inFlight.response;
      expect(status).toBe(303);
      expect(await server.exited).toBe(0);

      const messages = server.logs.map((l) => l.msg);
      expect(messages).toContain('stopping: finishing requests in flight and background work');
      expect(messages.at(-1)).toBe('stopped');
      // The sign-in's request line, and every other line of that request, carry its id.
      const signInLine = server.logs.find((l) => l.msg === 'request' && l.route === '/sign-in' && l.method === 'POST');
      expect(signInLine).toMatchObject({ status: 303, reqId: expect.any(String) as unknown });
      // The session is in the database: the sign-in was committed before the process ended.
      const sessions = await database.db.kysely.selectFrom('session').select('id').execute();
      expect(sessions.length).toBeGreaterThan(0);
      if (engine === 'sqlite') {
        const wal = `${database.config.location}-wal`;
        expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
      }
    }, 90_000);

    it('stops at once, with exit code 1, on a second signal', async () => {
      const server = await startServer(database.url);
      started.push(server);
      const inFlight = await slowSignIn(server, email);
      // The connection is cut when the process ends: that is expected here.
      const settled = inFlight.response.catch(() => undefined);
      await sleep(300);
      server.child.kill('SIGTERM');
      await sleep(300);
      expect(server.child.exitCode).toBeNull();
      server.child.kill('SIGINT');
      expect(await server.exited).toBe(1);
      expect(server.logs.map((l) => l.msg)).toContain('second signal: stopping now');
      inFlight.finish();
      await settled;
    }, 90_000);

    it('serves from several processes sharing the port, and on SIGTERM stops them all, each finishing its requests', async () => {
      const server = await startServer(database.url, ['--processes', '2']);
      started.push(server);
      const processes = childrenOf(server.child.pid);
      expect(processes).toHaveLength(2);
      // A connection goes to each in turn; /metrics in either counts the requests both answered.
      const pages = 6;
      for (let i = 0; i < pages; i++) expect((await fetch(`${server.base}/sign-in`, { headers: { connection: 'close' } })).status).toBe(200);
      const metrics = await (await fetch(`${server.base}/metrics`, { headers: { connection: 'close' } })).text();
      const signInCount = metrics.split('\n').find((l) => l.startsWith('redress_http_request_duration_seconds_count{') && l.includes('method="GET"') && l.includes('route="/sign-in"') && l.includes('status="200"'));
      expect(Number(signInCount?.split(' ').at(-1))).toBe(pages);
      // One that dies is replaced.
      process.kill(processes[0] ?? 0, 'SIGKILL');
      const deadline = Date.now() + 30_000;
      const isReplaced = () => {
        const now = childrenOf(server.child.pid);
        return now.length === 2 && !now.includes(processes[0] ?? 0) && server.logs.some((l) => l.msg === 'a server process stopped: starting another');
      };
      while (!isReplaced() && Date.now() < deadline) await sleep(200);
      const replaced = childrenOf(server.child.pid);
      expect(replaced).toHaveLength(2);
      expect(replaced).not.toContain(processes[0]);
      expect(server.logs.map((l) => l.msg)).toContain('a server process stopped: starting another');
      const inFlight = await slowSignIn(server, email);
      await sleep(300);
      server.child.kill('SIGTERM');
      await sleep(700);
      expect(server.child.exitCode).toBeNull();
      inFlight.finish();
      expect((await inFlight.response).status).toBe(303);
      expect(await server.exited).toBe(0);
      // The first stopped cleanly, after each of the others that was ready did (the replacement may still have been starting).
      expect(server.logs.filter((l) => l.msg === 'stopped').length).toBeGreaterThanOrEqual(2);
      expect(server.logs.at(-1)?.msg).toBe('stopped');
      expect([...processes, ...replaced].filter(isAlive)).toEqual([]);
      if (engine === 'sqlite') {
        const wal = `${database.config.location}-wal`;
        expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
      }
    }, 90_000);
  });
}
