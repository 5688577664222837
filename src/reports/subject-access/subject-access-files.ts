/** A gathered subject access bundle as its files: the JSON, the Word document and the case files, for a directory or one ZIP download. */
import type { GatheredBundle } from '../../app/subject-access-service.ts';
import { zipArchive, type ZipFile } from '../zip-writer.ts';
import { subjectAccessDocx } from './subject-access-docx.ts';

export const BUNDLE_JSON = 'subject-access.json';
export const BUNDLE_DOCX = 'subject-access.docx';

export async function subjectAccessFiles(gathered: GatheredBundle, councilName: string): Promise<ZipFile[]> {
  return [
    { name: BUNDLE_JSON, bytes: Buffer.from(`${JSON.stringify(gathered.bundle, null, 2)}\n`, 'utf8') },
    { name: BUNDLE_DOCX, bytes: await subjectAccessDocx(gathered.bundle, councilName) },
    ...gathered.files.map((f) => ({ name: f.path, bytes: f.bytes })),
  ];
}

export async function subjectAccessZip(gathered: GatheredBundle, councilName: string): Promise<Buffer> {
  return zipArchive(await subjectAccessFiles(gathered, councilName), new Date(gathered.bundle.produced_at));
}
