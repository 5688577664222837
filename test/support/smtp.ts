/** A real SMTP server (smtp-server) on a free loopback port, keeping what arrives; it can be told to refuse. */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedEmail {
  readonly to: readonly string[];
  readonly subject: string;
  readonly body: string;
  readonly raw: string;
}

export interface TestSmtpServer {
  readonly port: number;
  readonly url: string;
  readonly received: ReceivedEmail[];
  /** Refuse the next `n` recipients with a temporary error (451). */
  refuseNext(n: number): void;
  /** How many recipients were refused. */
  readonly refused: () => number;
  close(): Promise<void>;
}

function unfold(raw: string): { headers: Map<string, string>; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: raw.slice(split + 4) };
}

/** Decodes what nodemailer writes for a plain-text message: a quoted-printable body, an encoded-word subject. */
function decodeQuotedPrintable(text: string): string {
  const bytes = text.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

function decodeSubject(subject: string): string {
  return subject.replace(/=\?utf-8\?([QB])\?([^?]*)\?=\s*/gi, (_m, kind: string, text: string) =>
    kind.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeQuotedPrintable(text.replace(/_/g, ' ')),
  );
}

/** `delayMs`: a slow server, which answers each message's data that long after it has all arrived. */
export async function startSmtpServer(options: { delayMs?: number } = {}): Promise<TestSmtpServer> {
  const received: ReceivedEmail[] = [];
  let toRefuse = 0;
  let refused = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (toRefuse > 0) {
        toRefuse -= 1;
        refused += 1;
        const error = Object.assign(new Error('Try again later'), { responseCode: 451 });
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const { headers, body } = unfold(raw);
        const isQp = (headers.get('content-transfer-encoding') ?? '').toLowerCase() === 'quoted-printable';
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: decodeSubject(headers.get('subject') ?? ''),
          body: (isQp ? decodeQuotedPrintable(body) : body).replace(/\r\n/g, '\n'),
          raw,
        });
        if (options.delayMs === undefined) callback();
        else setTimeout(callback, options.delayMs);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    url: `smtp://127.0.0.1:${String(port)}`,
    received,
    refuseNext: (n) => {
      toRefuse = n;
    },
    refused: () => refused,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(resolve);
      }),
  };
}
