/** `multipart/form-data` bodies for tests: text fields (repeated for a list), then files, each in its own field. */
import { PDF } from './file-samples.ts';

export interface FilePart {
  readonly name: string;
  readonly bytes: Buffer;
  readonly type?: string;
}

export function multipart(fields: Readonly<Record<string, string | number | readonly string[]>>, files: Readonly<Record<string, FilePart | undefined>> = {}): { payload: Buffer; contentType: string } {
  const boundary = `----redress${String(Date.now())}${String(Math.random()).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? (value as readonly string[]) : [String(value)]) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${item}\r\n`, 'utf8'));
    }
  }
  for (const [name, file] of Object.entries(files)) {
    // No file chosen: an empty part with no name, as a browser sends it.
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${file?.name ?? ''}"\r\nContent-Type: ${file?.type ?? 'application/octet-stream'}\r\n\r\n`, 'utf8'),
      file?.bytes ?? Buffer.alloc(0),
      Buffer.from('\r\n', 'utf8'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`, 'utf8'));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** An investigation report as the later-stage service takes it (`report` of `record_report`). */
export function aReport(note = 'report'): { fileName: string; bytes: Buffer } {
  return { fileName: 'investigation-report.pdf', bytes: Buffer.concat([PDF, Buffer.from(`% ${note}\n`)]) };
}
