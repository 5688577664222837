/**
 * A filled letter as an editable Word document (DOCX): the letterhead, the subject as a
 * heading, then the letter's own headings and paragraphs as real Word headings and
 * paragraphs. A value not recorded is written highlighted: "[not recorded: due date]".
 */
import { Document, HeadingLevel, Packer, Paragraph, TextRun, type IRunOptions } from 'docx';
import { gapText, segmentsText, type FilledLetter, type LetterSegment } from '../../domain/letters/letter-template.ts';

const FONT = 'Arial';

function runs(segments: readonly LetterSegment[]): TextRun[] {
  const out: TextRun[] = [];
  let breaks = 0;
  for (const segment of segments) {
    if (segment.kind === 'break') {
      breaks += 1;
      continue;
    }
    const text = segment.kind === 'text' ? segment.text : gapText(segment.label);
    const isGap = segment.kind === 'gap';
    const options: IRunOptions = { text, font: FONT, bold: isGap, ...(isGap ? { highlight: 'yellow' } : {}), ...(breaks > 0 ? { break: breaks } : {}) };
    out.push(new TextRun(options));
    breaks = 0;
  }
  if (breaks > 0) out.push(new TextRun({ text: '', break: breaks }));
  return out;
}

const paragraph = (segments: readonly LetterSegment[]): Paragraph => new Paragraph({ children: runs(segments), spacing: { after: 200 } });

export async function letterDocx(letter: FilledLetter, meta: { reference: string; councilName: string }): Promise<Buffer> {
  const { letterhead } = letter;
  const document = new Document({
    creator: meta.councilName,
    title: `${letter.title}: ${meta.reference}`,
    description: segmentsText(letter.subject),
    styles: { default: { document: { run: { font: FONT, size: 24 } } } },
    sections: [
      {
        children: [
          new Paragraph({ children: runs(letterhead.council), spacing: { after: 300 } }),
          paragraph(letterhead.recipient),
          paragraph([...letterhead.date, { kind: 'break' }, ...letterhead.reference]),
          new Paragraph({ heading: HeadingLevel.HEADING_1, children: runs(letter.subject), spacing: { before: 200, after: 200 } }),
          ...letter.blocks.map((block) =>
            block.kind === 'heading' ? new Paragraph({ heading: HeadingLevel.HEADING_2, children: runs(block.segments), spacing: { before: 200, after: 100 } }) : paragraph(block.segments),
          ),
          ...(letter.copyTo === undefined ? [] : [new Paragraph({ children: runs(letter.copyTo), spacing: { before: 300 } })]),
        ],
      },
    ],
  });
  return Packer.toBuffer(document);
}
