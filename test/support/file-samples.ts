/**
 * Small real files for attachment tests, built byte by byte: a minimal PDF, PNG, JPEG, GIF
 * and WebP, a Word 97–2003 compound file, a real DOCX (made with the `docx` package), zips
 * that only look like one, and things that are none of them (text, a Windows program).
 */
import { deflateRawSync } from 'node:zlib';
import { Document, Packer, Paragraph } from 'docx';

export const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');

/** A 1×1 PNG: signature, IHDR, IDAT, IEND (CRCs correct). */
export const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);

export const JPEG = Buffer.concat([Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'), Buffer.alloc(32, 0), Buffer.from('ffd9', 'hex')]);

export const GIF = Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.from('010001000000002c00000000010001000002003b', 'hex')]);

export const WEBP = Buffer.concat([Buffer.from('RIFF', 'latin1'), Buffer.from([26, 0, 0, 0]), Buffer.from('WEBPVP8L', 'latin1'), Buffer.from('0d0000002f0000000007d0ff0000', 'hex')]);

/** An OLE compound file whose directory names a `WordDocument` stream (as a .doc's does). */
export function legacyDoc(): Buffer {
  const file = Buffer.alloc(2048, 0);
  Buffer.from('d0cf11e0a1b11ae1', 'hex').copy(file, 0);
  file.writeUInt16LE(0xfffe, 28); // little-endian byte order mark
  Buffer.from('Root Entry', 'utf16le').copy(file, 1024);
  Buffer.from('WordDocument', 'utf16le').copy(file, 1024 + 128);
  return file;
}

/** The same compound-file header with no Word stream (an old Excel or PowerPoint file, say). */
export function compoundFileWithoutWord(): Buffer {
  const file = legacyDoc();
  Buffer.from('Workbook\0\0\0\0', 'utf16le').copy(file, 1024 + 128);
  return file;
}

/** A real Word document. */
export async function docx(text = 'A letter from the school.'): Promise<Buffer> {
  return Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph(text)] }] }));
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** A zip of these entries (deflated), with a proper central directory. */
export function zip(entries: Readonly<Record<string, string>>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const data = Buffer.from(text, 'utf8');
    const compressed = deflateRawSync(data);
    const nameBytes = Buffer.from(name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, compressed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

export const TEXT = Buffer.from('Dear council,\nThis is just text.\n', 'utf8');

/** The start of a Windows program ("MZ", a DOS stub, a PE header). */
export const EXE = Buffer.concat([Buffer.from('4d5a90000300000004000000ffff0000', 'hex'), Buffer.alloc(44, 0), Buffer.from('80000000', 'hex'), Buffer.alloc(64, 0), Buffer.from('PE\0\0', 'latin1')]);
