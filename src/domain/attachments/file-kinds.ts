/**
 * Which files may be attached (to a public submission now, to other documents later), decided
 * by what the bytes are, never by the name alone: a PDF, a picture (PNG, JPEG, GIF, WebP) or a
 * Word document (.docx, checked by the names inside the zip's central directory, or legacy
 * .doc, an OLE compound file holding a `WordDocument` stream). The name's extension must agree
 * with the content ("The file 'x.pdf' is not a PDF"). Pure: no I/O.
 */

/** The most one file may hold. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** The most files one submission may carry. */
export const MAX_ATTACHMENTS_PER_SUBMISSION = 3;
/** The longest file name kept (for display; the stored file is named by a random key). */
export const FILE_NAME_MAX = 150;

export const FILE_KINDS = ['pdf', 'png', 'jpeg', 'gif', 'webp', 'docx', 'doc'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

export interface FileKindInfo {
  readonly mediaType: string;
  /** As in "The file 'x.pdf' is not a PDF". */
  readonly description: string;
  /** Short, for lists: "PDF", "Word document". */
  readonly label: string;
  readonly extensions: readonly string[];
}

export const FILE_KIND_INFO: Readonly<Record<FileKind, FileKindInfo>> = {
  pdf: { mediaType: 'application/pdf', description: 'a PDF', label: 'PDF', extensions: ['pdf'] },
  png: { mediaType: 'image/png', description: 'a PNG picture', label: 'PNG picture', extensions: ['png'] },
  jpeg: { mediaType: 'image/jpeg', description: 'a JPG picture', label: 'JPG picture', extensions: ['jpg', 'jpeg'] },
  gif: { mediaType: 'image/gif', description: 'a GIF picture', label: 'GIF picture', extensions: ['gif'] },
  webp: { mediaType: 'image/webp', description: 'a WebP picture', label: 'WebP picture', extensions: ['webp'] },
  docx: {
    mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    description: 'a Word document',
    label: 'Word document',
    extensions: ['docx'],
  },
  doc: { mediaType: 'application/msword', description: 'a Word document', label: 'Word document', extensions: ['doc'] },
};

/** What the file upload's hint says is allowed. */
export const ALLOWED_FILES_TEXT = 'a PDF, a Word document, or a JPG, PNG, GIF or WebP picture';

/** The label for a stored media type ("PDF"), or the media type itself when unknown. */
export function mediaTypeLabel(mediaType: string): string {
  return FILE_KINDS.map((k) => FILE_KIND_INFO[k]).find((info) => info.mediaType === mediaType)?.label ?? mediaType;
}

// ---- reading bytes ----

const startsWith = (bytes: Uint8Array, signature: readonly number[], at = 0): boolean =>
  bytes.length >= at + signature.length && signature.every((b, i) => bytes[at + i] === b);

const ascii = (text: string): number[] => Array.from({ length: text.length }, (_, i) => text.charCodeAt(i));

const readUInt16 = (bytes: Uint8Array, at: number): number => (bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8);
const readUInt32 = (bytes: Uint8Array, at: number): number => (readUInt16(bytes, at) + readUInt16(bytes, at + 2) * 0x10000);

const PDF = ascii('%PDF-');
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const GIF87 = ascii('GIF87a');
const GIF89 = ascii('GIF89a');
const RIFF = ascii('RIFF');
const WEBP = ascii('WEBP');
const ZIP_LOCAL = [0x50, 0x4b, 0x03, 0x04];
const ZIP_END = [0x50, 0x4b, 0x05, 0x06];
const ZIP_CENTRAL = [0x50, 0x4b, 0x01, 0x02];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
/** "WordDocument" as UTF-16LE, the name of the main stream of a Word 97–2003 file. */
const WORD_STREAM = ascii('WordDocument').flatMap((c) => [c, 0]);

function indexOf(bytes: Uint8Array, needle: readonly number[], from = 0): number {
  const first = needle[0];
  for (let i = bytes.indexOf(first ?? 0, from); i !== -1 && i + needle.length <= bytes.length; i = bytes.indexOf(first ?? 0, i + 1)) {
    if (startsWith(bytes, needle, i)) return i;
  }
  return -1;
}

/**
 * The names in a zip's central directory, or undefined when the bytes are not a well-formed
 * zip (no end record, a directory outside the file, an entry that runs off the end).
 */
export function zipEntryNames(bytes: Uint8Array): string[] | undefined {
  if (!startsWith(bytes, ZIP_LOCAL)) return undefined;
  // The end record is 22 bytes plus a comment of at most 65,535: search backwards from the end.
  const earliest = Math.max(0, bytes.length - 22 - 0xffff);
  let end = -1;
  for (let at = bytes.length - 22; at >= earliest; at--) {
    if (startsWith(bytes, ZIP_END, at)) {
      end = at;
      break;
    }
  }
  if (end === -1) return undefined;
  const count = readUInt16(bytes, end + 10);
  const size = readUInt32(bytes, end + 12);
  const offset = readUInt32(bytes, end + 16);
  if (offset + size > end) return undefined;
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const names: string[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || !startsWith(bytes, ZIP_CENTRAL, at)) return undefined;
    const nameLength = readUInt16(bytes, at + 28);
    const extraLength = readUInt16(bytes, at + 30);
    const commentLength = readUInt16(bytes, at + 32);
    if (at + 46 + nameLength > end) return undefined;
    names.push(decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength)));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

/** What the bytes are, by their content alone (undefined: none of the kinds accepted). */
export function detectFileKind(bytes: Uint8Array): FileKind | undefined {
  if (startsWith(bytes, PDF)) return 'pdf';
  if (startsWith(bytes, PNG)) return 'png';
  if (startsWith(bytes, JPEG)) return 'jpeg';
  if (startsWith(bytes, GIF87) || startsWith(bytes, GIF89)) return 'gif';
  if (startsWith(bytes, RIFF) && startsWith(bytes, WEBP, 8)) return 'webp';
  if (startsWith(bytes, ZIP_LOCAL)) {
    const names = zipEntryNames(bytes);
    if (names?.includes('[Content_Types].xml') === true && names.some((n) => n.startsWith('word/'))) return 'docx';
    return undefined;
  }
  if (startsWith(bytes, OLE) && indexOf(bytes, WORD_STREAM, 512) !== -1) return 'doc';
  return undefined;
}

// ---- names ----

/**
 * A file name as given, made safe to show and to store: the last part of any path, without
 * control or bidirectional-override characters, spaces collapsed, at most `FILE_NAME_MAX`
 * characters (keeping the extension); "file" when nothing is left.
 */
export function cleanFileName(given: string): string {
  const last = given.split(/[\\/]/).at(-1) ?? '';
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const cleaned = last.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '').replace(/\s+/g, ' ').trim();
  if (cleaned === '' || /^\.+$/.test(cleaned)) return 'file';
  // Counted in code points, so that a name is never cut inside a character.
  const chars = Array.from(cleaned);
  if (chars.length <= FILE_NAME_MAX) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const extension = dot > 0 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : '';
  return chars.slice(0, FILE_NAME_MAX - Array.from(extension).length).join('') + extension;
}

/** The extension of a name, lower case, without the dot ('' when none). */
export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot <= 0 ? '' : fileName.slice(dot + 1).toLowerCase();
}

/**
 * A `Content-Disposition: attachment` header value for a file name: a plain ASCII fallback
 * (anything else, quotes and backslashes replaced) and the exact name encoded (RFC 6266).
 */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/** "2.5MB", "340KB", "12 bytes". */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${String(bytes)} ${bytes === 1 ? 'byte' : 'bytes'}`;
  if (bytes < 1024 * 1024) return `${String(Math.max(1, Math.round(bytes / 1024)))}KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')}MB`;
}

// ---- the check ----

export type FileProblemCode = 'file_empty' | 'file_too_large' | 'file_type_not_allowed' | 'file_not_what_name_says';

export interface FileProblem {
  readonly code: FileProblemCode;
  readonly message: string;
}

export interface AcceptedFile {
  readonly kind: FileKind;
  readonly mediaType: string;
  /** The name cleaned for display (`cleanFileName`). */
  readonly fileName: string;
}

const MAX_MB = `${String(MAX_ATTACHMENT_BYTES / (1024 * 1024))}MB`;

/**
 * Whether a file may be attached: not empty, not over the limit, one of the kinds accepted by
 * its content, and named for what it is. `size` is the file's full size when the bytes given
 * were cut short at the limit.
 */
export function checkFile(givenName: string, bytes: Uint8Array, size: number = bytes.length): { ok: true; file: AcceptedFile } | { ok: false; problem: FileProblem } {
  const fileName = cleanFileName(givenName);
  if (size === 0) return { ok: false, problem: { code: 'file_empty', message: `The file '${fileName}' is empty` } };
  if (size > MAX_ATTACHMENT_BYTES) return { ok: false, problem: { code: 'file_too_large', message: `The file '${fileName}' must be smaller than ${MAX_MB}` } };
  const extension = extensionOf(fileName);
  const claimed = FILE_KINDS.find((k) => FILE_KIND_INFO[k].extensions.includes(extension));
  const kind = detectFileKind(bytes);
  if (claimed === undefined) {
    return { ok: false, problem: { code: 'file_type_not_allowed', message: `The file '${fileName}' must be ${ALLOWED_FILES_TEXT}` } };
  }
  if (kind !== claimed) {
    return { ok: false, problem: { code: 'file_not_what_name_says', message: `The file '${fileName}' is not ${FILE_KIND_INFO[claimed].description}` } };
  }
  return { ok: true, file: { kind, mediaType: FILE_KIND_INFO[kind].mediaType, fileName } };
}
