/** Interchange files for the import and export tests. */
import { PassThrough } from 'node:stream';
import { INTERCHANGE_COLUMNS } from '../../src/domain/interchange/interchange-columns.ts';

export const HEADER = INTERCHANGE_COLUMNS.join(',');

/** A line from its cells by column name (others empty), not quoted: for cells without commas or quotes. */
export function line(cells: Partial<Record<(typeof INTERCHANGE_COLUMNS)[number], string>>): string {
  return INTERCHANGE_COLUMNS.map((c) => cells[c] ?? '').join(',');
}

/**
 * A year (2011/12) with every column used, in the canonical form export writes (codes in
 * alphabetical order, formula-like cells escaped with a quote), in order of receipt: exporting
 * it after importing it gives these very bytes.
 */
export const FULL_YEAR_CSV = [
  HEADER,
  // Every column: Stage 1 (extended), Stage 2 with cost, Stage 3 with panel, the Ombudsman; a formula-like, quoted summary.
  `CSC-2011-0001,children_statutory,2011-04-05,2011-03-20,YP-001,parent,Care Management North,email,true,communication;delay,WBRI,true,true,true,2011-05-03,partially_upheld,apology;explanation,,complex_multi_team,2011-05-10,2011-05-12,2011-06-20,3500.50,2011-06-25,2011-07-20,2011-09-01,upheld,,"'=SUM(A1) said the parent, ""twice"""`,
  line({ reference: 'INF-2011-0002', kind: 'informal', received_on: '2011-06-01', team: 'Fostering', channel: 'telephone', via_complaints_team: 'false', issues: 'staff_attitude', summary: 'An informal complaint' }),
  line({ reference: 'CPL-2011-0003', kind: 'compliment', received_on: '2011-07-01', team: 'Fostering', channel: 'letter', via_complaints_team: 'true', compliment_source: 'judge', summary: "'+44 thanks from the court" }),
  // Open at Stage 1 (so its clock keeps "false"), the same young person, advocacy offered with no reply.
  line({ reference: 'CSC-2011-0004', kind: 'children_statutory', received_on: '2011-08-01', young_person_id: 'YP-001', complainant_role: 'child', team: 'Care Management North', channel: 'online', via_complaints_team: 'true', issues: 'placement', ethnicity: 'WBRI', advocacy_offered: 'true', stage1_extended: 'false', summary: "'-not a formula" }),
  line({ reference: 'CSC-2011-0005', kind: 'children_statutory', received_on: '2011-09-01', young_person_id: 'YP-002', complainant_role: 'advocate', team: 'Fostering', channel: 'leaflet', via_complaints_team: 'true', ethnicity: 'BCRB', advocacy_offered: 'true', advocacy_accepted: 'false', withdrawn_on: '2011-09-10', summary: "'@someone's complaint" }),
  line({ reference: 'COR-2011-0006', kind: 'corporate', received_on: '2011-10-03', team: 'Care Management North', channel: 'in_person', via_complaints_team: 'true', issues: 'other', summary: "It's quoted 'inside' only" }),
  '',
].join('\n');

/** What a writable stream was given, once it finishes. */
export function collect(): { stream: PassThrough; done: Promise<Buffer> } {
  const stream = new PassThrough();
  const parts: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => parts.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    stream.on('end', () => { resolve(Buffer.concat(parts)); });
    stream.on('error', reject);
  });
  return { stream, done };
}
