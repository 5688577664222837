/**
 * A subject access bundle as a readable Word document: who it is about, then each case — its
 * facts, the people, decisions, stages, clocks, notes, history, letters, questionnaires, files
 * and who looked at it — and last the redaction schedule. Every value listed for redaction is
 * written highlighted with "[Redact?]" before it, wherever it appears.
 */
import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType, type IRunOptions } from 'docx';
import type { RedactionMark, SubjectAccessBundle } from '../../app/subject-access-service.ts';

const FONT = 'Arial';
const MARK = '[Redact?] ';

/** A run of text (options typed, so they are never read as a string's). */
const run = (options: IRunOptions): TextRun => new TextRun(options);

type Value = unknown;

const label = (key: string): string => {
  const words = key.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

function valueText(value: Value): string {
  if (value === null || value === undefined || value === '') return 'Not recorded';
  if (value === true || value === 1) return typeof value === 'boolean' ? 'Yes' : '1';
  if (value === false) return 'No';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/** Runs of `text` with each of `marked` highlighted and flagged. */
function markedRuns(text: string, marked: readonly string[], isBold = false): TextRun[] {
  const names = [...new Set(marked.map((m) => m.trim()).filter((m) => m.length >= 2))].sort((a, b) => b.length - a.length);
  if (names.length === 0) return [run({ text, font: FONT, bold: isBold })];
  const pattern = new RegExp(names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gi');
  const runs: TextRun[] = [];
  let at = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > at) runs.push(run({ text: text.slice(at, match.index), font: FONT, bold: isBold }));
    runs.push(run({ text: `${MARK}${match[0]}`, font: FONT, bold: true, highlight: 'yellow' }));
    at = match.index + match[0].length;
  }
  if (at < text.length) runs.push(run({ text: text.slice(at), font: FONT, bold: isBold }));
  return runs;
}

const heading = (text: string, level: (typeof HeadingLevel)[keyof typeof HeadingLevel]): Paragraph => new Paragraph({ heading: level, children: [run({ text, font: FONT })], spacing: { before: 240, after: 120 } });

function field(name: string, value: Value, marked: readonly string[]): Paragraph {
  return new Paragraph({ children: [run({ text: `${name}: `, font: FONT, bold: true }), ...markedRuns(valueText(value), marked)], spacing: { after: 60 } });
}

/** A record (an object) as "Label: value" lines; nested records and lists as sub-lines. */
function record(row: Readonly<Record<string, Value>>, marked: readonly string[]): Paragraph[] {
  return Object.entries(row)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => field(label(key), value, marked));
}

function list(title: string, items: readonly Readonly<Record<string, Value>>[], marked: readonly string[]): Paragraph[] {
  if (items.length === 0) return [heading(title, HeadingLevel.HEADING_3), new Paragraph({ children: [run({ text: 'None.', font: FONT })] })];
  return [heading(title, HeadingLevel.HEADING_3), ...items.flatMap((item, i) => [new Paragraph({ children: [run({ text: `${title} ${String(i + 1)}`, font: FONT, italics: true })], spacing: { before: 120 } }), ...record(item, marked)])];
}

const LISTS: readonly (readonly [string, string])[] = [
  ['eligibility_decisions', 'Eligibility decisions'],
  ['advocacy_offers', 'Advocacy offers'],
  ['clocks', 'Time limits'],
  ['complaint_points', 'Points of complaint'],
  ['appointments', 'Appointments'],
  ['notes', 'Notes'],
  ['history', 'History'],
  ['letters', 'Letters produced'],
  ['questionnaires', 'Questionnaires'],
  ['ombudsman_enquiries', 'Ombudsman enquiries'],
  ['attachments', 'Files (in the files folder of this bundle)'],
  ['seen_by', 'Who looked at or acted on the case'],
];
const RECORDS: readonly (readonly [string, string])[] = [
  ['young_person', 'The young person'],
  ['complainant', 'The complainant'],
  ['advocate', 'The advocate'],
  ['stage2', 'Stage 2'],
  ['stage3', 'Stage 3'],
  ['public_submission', 'What was sent on the public pages'],
];
const SECTION_KEYS = new Set([...LISTS, ...RECORDS].map(([key]) => key));

export async function subjectAccessDocx(bundle: SubjectAccessBundle, councilName: string): Promise<Buffer> {
  const marked = bundle.redactions.map((r) => r.text);
  const who = bundle.subject.kind === 'young_person' ? `the young person with id ${bundle.subject.id}` : `the complainant ${bundle.subject.id}`;
  const children: (Paragraph | Table)[] = [
    heading(`Subject access: records about ${who}`, HeadingLevel.HEADING_1),
    new Paragraph({ children: [run({ text: `Produced by ${councilName} on ${bundle.produced_at.slice(0, 10)} from its complaints records. ${String(bundle.cases.length)} ${bundle.cases.length === 1 ? 'case' : 'cases'}.`, font: FONT })] }),
    new Paragraph({
      children: [run({ text: 'Values about other people are highlighted and marked "[Redact?]": decide for each, using the redaction schedule at the end, whether to remove it before the bundle is sent.', font: FONT })],
      spacing: { after: 200 },
    }),
  ];
  if (bundle.subject.details !== null) children.push(heading('The person', HeadingLevel.HEADING_2), ...record(bundle.subject.details, []));
  for (const c of bundle.cases) {
    children.push(heading(`Case ${String(c.reference)}`, HeadingLevel.HEADING_2));
    children.push(...record(Object.fromEntries(Object.entries(c).filter(([key, value]) => !SECTION_KEYS.has(key) && key !== 'codes' && typeof value !== 'object')), marked));
    const codes = c.codes as Record<string, string[]> | undefined;
    if (codes !== undefined) for (const [listName, values] of Object.entries(codes)) children.push(field(label(listName), values.join(', '), marked));
    for (const [key, title] of RECORDS) {
      const value = c[key];
      if (value !== null && value !== undefined && typeof value === 'object') children.push(heading(title, HeadingLevel.HEADING_3), ...record(value as Record<string, Value>, marked));
    }
    for (const [key, title] of LISTS) children.push(...list(title, (c[key] as Record<string, Value>[] | undefined) ?? [], marked));
  }
  children.push(heading('Redaction schedule', HeadingLevel.HEADING_2));
  if (bundle.redactions.length === 0) children.push(new Paragraph({ children: [run({ text: 'Nothing in this bundle is marked as about someone else.', font: FONT })] }));
  else children.push(redactionTable(bundle.redactions));
  const document = new Document({
    creator: councilName,
    title: `Subject access: ${who}`,
    styles: { default: { document: { run: { font: FONT, size: 22 } } } },
    sections: [{ children }],
  });
  return Packer.toBuffer(document);
}

function redactionTable(marks: readonly RedactionMark[]): Table {
  const cell = (text: string, isBold = false) => new TableCell({ children: [new Paragraph({ children: [run({ text, font: FONT, bold: isBold })] })] });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: ['Case', 'Where', 'Text', 'Whose'].map((h) => cell(h, true)) }),
      ...marks.map((m) => new TableRow({ children: [cell(m.case), cell(m.where), cell(m.text), cell(m.who)] })),
    ],
  });
}
