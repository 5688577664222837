/** Reads one file out of a ZIP archive (a DOCX, XLSX…) with node:zlib: enough for tests to look inside. */
import { inflateRawSync } from 'node:zlib';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;

/** The names of the files in the archive. */
export function zipEntries(zip: Buffer): { name: string; method: number; compressedSize: number; localOffset: number }[] {
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== END_OF_CENTRAL_DIRECTORY) end -= 1;
  if (end < 0) throw new Error('not a ZIP archive: no end of central directory');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== CENTRAL_FILE_HEADER) throw new Error('broken ZIP central directory');
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localOffset = zip.readUInt32LE(at + 42);
    entries.push({ name: zip.toString('utf8', at + 46, at + 46 + nameLength), method, compressedSize, localOffset });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The text of the file `name` in the archive. */
export function readZipEntry(zip: Buffer, name: string): string {
  const entry = zipEntries(zip).find((e) => e.name === name);
  if (entry === undefined) throw new Error(`no ${name} in the archive`);
  const at = entry.localOffset;
  if (zip.readUInt32LE(at) !== LOCAL_FILE_HEADER) throw new Error('broken ZIP local header');
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return data.toString('utf8');
  if (entry.method === 8) return inflateRawSync(data).toString('utf8');
  throw new Error(`unsupported ZIP compression method ${String(entry.method)}`);
}
