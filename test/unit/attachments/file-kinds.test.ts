/** Which files may be attached: by their content, named for what they are, not empty, not too big. */
import { describe, expect, it } from 'vitest';
import {
  checkFile,
  cleanFileName,
  contentDisposition,
  detectFileKind,
  formatFileSize,
  MAX_ATTACHMENT_BYTES,
  zipEntryNames,
} from '../../../src/domain/attachments/file-kinds.ts';
import { compoundFileWithoutWord, docx, EXE, GIF, JPEG, legacyDoc, PDF, PNG, TEXT, WEBP, zip } from '../../support/file-samples.ts';

describe('detecting a file by its content', () => {
  it('knows a PDF, PNG, JPEG, GIF and WebP by their first bytes', () => {
    expect(detectFileKind(PDF)).toBe('pdf');
    expect(detectFileKind(PNG)).toBe('png');
    expect(detectFileKind(JPEG)).toBe('jpeg');
    expect(detectFileKind(GIF)).toBe('gif');
    expect(detectFileKind(WEBP)).toBe('webp');
  });

  it('knows a real Word document by the names in its zip’s central directory', async () => {
    const document = await docx();
    expect(zipEntryNames(document)).toEqual(expect.arrayContaining(['[Content_Types].xml', 'word/document.xml']));
    expect(detectFileKind(document)).toBe('docx');
  });

  it('does not take any zip for a Word document', () => {
    expect(detectFileKind(zip({ 'notes.txt': 'hello' }))).toBeUndefined();
    // An Excel workbook is a zip with [Content_Types].xml too, but no word/ part.
    expect(detectFileKind(zip({ '[Content_Types].xml': '<Types/>', 'xl/workbook.xml': '<workbook/>' }))).toBeUndefined();
    expect(detectFileKind(zip({ '[Content_Types].xml': '<Types/>', 'word/document.xml': '<document/>' }))).toBe('docx');
    // "PK" and the right names somewhere in the bytes, but no central directory: not a zip.
    expect(detectFileKind(Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.from('[Content_Types].xml word/document.xml')]))).toBeUndefined();
    // A central directory that claims to be somewhere past the end.
    const broken = zip({ '[Content_Types].xml': '<Types/>', 'word/document.xml': '<document/>' });
    broken.writeUInt32LE(0x7fffffff, broken.length - 6);
    expect(detectFileKind(broken)).toBeUndefined();
  });

  it('knows a Word 97–2003 file by its compound-file header and its WordDocument stream', () => {
    expect(detectFileKind(legacyDoc())).toBe('doc');
    expect(detectFileKind(compoundFileWithoutWord())).toBeUndefined();
  });

  it('knows nothing else', () => {
    expect(detectFileKind(TEXT)).toBeUndefined();
    expect(detectFileKind(EXE)).toBeUndefined();
    expect(detectFileKind(Buffer.alloc(0))).toBeUndefined();
    expect(detectFileKind(Buffer.from('%PD'))).toBeUndefined();
  });
});

describe('checking a file to attach', () => {
  it('accepts each kind named for what it is, giving the detected media type', async () => {
    const cases: [string, Buffer, string][] = [
      ['letter.pdf', PDF, 'application/pdf'],
      ['photo.PNG', PNG, 'image/png'],
      ['photo.jpg', JPEG, 'image/jpeg'],
      ['photo.jpeg', JPEG, 'image/jpeg'],
      ['moving.gif', GIF, 'image/gif'],
      ['picture.webp', WEBP, 'image/webp'],
      ['report.docx', await docx(), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['old report.doc', legacyDoc(), 'application/msword'],
    ];
    for (const [name, bytes, mediaType] of cases) {
      const result = checkFile(name, bytes);
      expect(result, name).toEqual({ ok: true, file: expect.objectContaining({ mediaType, fileName: name }) as unknown });
    }
  });

  it('refuses a file that is not what its name says', async () => {
    expect(checkFile('letter.pdf', TEXT)).toEqual({ ok: false, problem: { code: 'file_not_what_name_says', message: "The file 'letter.pdf' is not a PDF" } });
    expect(checkFile('report.docx', EXE)).toEqual({ ok: false, problem: { code: 'file_not_what_name_says', message: "The file 'report.docx' is not a Word document" } });
    expect(checkFile('photo.png', PDF)).toMatchObject({ ok: false, problem: { code: 'file_not_what_name_says', message: "The file 'photo.png' is not a PNG picture" } });
    expect(checkFile('report.pdf', await docx())).toMatchObject({ ok: false, problem: { code: 'file_not_what_name_says' } });
  });

  it('refuses a name that is none of the kinds, even when the content is', () => {
    expect(checkFile('notes.txt', TEXT)).toEqual({
      ok: false,
      problem: { code: 'file_type_not_allowed', message: "The file 'notes.txt' must be a PDF, a Word document, or a JPG, PNG, GIF or WebP picture" },
    });
    expect(checkFile('setup.exe', EXE)).toMatchObject({ ok: false, problem: { code: 'file_type_not_allowed' } });
    expect(checkFile('letter', PDF)).toMatchObject({ ok: false, problem: { code: 'file_type_not_allowed' } });
  });

  it('refuses an empty file and one over the limit', () => {
    expect(checkFile('empty.pdf', Buffer.alloc(0))).toEqual({ ok: false, problem: { code: 'file_empty', message: "The file 'empty.pdf' is empty" } });
    expect(checkFile('big.pdf', PDF, MAX_ATTACHMENT_BYTES + 1)).toEqual({ ok: false, problem: { code: 'file_too_large', message: "The file 'big.pdf' must be smaller than 10MB" } });
    expect(checkFile('just-fits.pdf', PDF, MAX_ATTACHMENT_BYTES)).toMatchObject({ ok: true });
  });
});

describe('file names', () => {
  it('keeps only the last part of a path, without control or direction-changing characters', () => {
    expect(cleanFileName('C:\\Users\\sam\\My letter.pdf')).toBe('My letter.pdf');
    expect(cleanFileName('../../etc/passwd.pdf')).toBe('passwd.pdf');
    expect(cleanFileName('inv\u202eoice\u0000.pdf')).toBe('invoice.pdf');
    expect(cleanFileName('  lots   of   space.pdf ')).toBe('lots of space.pdf');
    expect(cleanFileName('..')).toBe('file');
    expect(cleanFileName('')).toBe('file');
  });

  it('shortens a long name, keeping its extension', () => {
    const cleaned = cleanFileName(`${'a'.repeat(300)}.pdf`);
    expect(cleaned).toHaveLength(150);
    expect(cleaned.endsWith('.pdf')).toBe(true);
  });

  it('makes a download header that cannot be broken out of', () => {
    expect(contentDisposition('Letter "final".pdf')).toBe(`attachment; filename="Letter _final_.pdf"; filename*=UTF-8''Letter%20%22final%22.pdf`);
    expect(contentDisposition('Zoë’s report.docx')).toBe(`attachment; filename="Zo__s report.docx"; filename*=UTF-8''Zo%C3%AB%E2%80%99s%20report.docx`);
    expect(contentDisposition('a\r\nb.pdf')).not.toMatch(/[\r\n]/);
  });

  it('says sizes as GOV.UK does', () => {
    expect(formatFileSize(12)).toBe('12 bytes');
    expect(formatFileSize(340 * 1024)).toBe('340KB');
    expect(formatFileSize(2.5 * 1024 * 1024)).toBe('2.5MB');
    expect(formatFileSize(10 * 1024 * 1024)).toBe('10MB');
  });
});
