/**
 * A filled letter as HTML for the letter page (GOV.UK typography, printable). Every value is
 * escaped here: the letter's text comes from an administrator and its values from the case
 * (a complainant's name may hold anything), and none of it is trusted as markup. A value not
 * recorded shows as a highlighted gap, "[not recorded: due date]".
 */
import { escapeHtml } from '../html-escape.ts';
import { gapText, type FilledLetter, type LetterSegment } from '../../domain/letters/letter-template.ts';


export function segmentsHtml(segments: readonly LetterSegment[]): string {
  return segments
    .map((segment) => {
      switch (segment.kind) {
        case 'text':
          return escapeHtml(segment.text);
        case 'gap':
          return `<mark class="app-letter__gap">${escapeHtml(gapText(segment.label))}</mark>`;
        case 'break':
          return '<br>';
      }
    })
    .join('');
}

/** The letter's HTML: letterhead, subject (as a level 2 heading), then its headings and paragraphs. */
export function letterHtml(letter: FilledLetter): string {
  const { letterhead } = letter;
  const parts = [
    `<p class="govuk-body govuk-!-font-weight-bold">${segmentsHtml(letterhead.council)}</p>`,
    `<p class="govuk-body">${segmentsHtml(letterhead.recipient)}</p>`,
    `<p class="govuk-body">${segmentsHtml(letterhead.date)}<br>${segmentsHtml(letterhead.reference)}</p>`,
    `<h2 class="govuk-heading-m">${segmentsHtml(letter.subject)}</h2>`,
    ...letter.blocks.map((block) =>
      block.kind === 'heading' ? `<h3 class="govuk-heading-s">${segmentsHtml(block.segments)}</h3>` : `<p class="govuk-body">${segmentsHtml(block.segments)}</p>`,
    ),
    ...(letter.copyTo === undefined ? [] : [`<p class="govuk-body app-letter__copy-to">${segmentsHtml(letter.copyTo)}</p>`]),
  ];
  return `<div class="app-letter">${parts.join('\n')}</div>`;
}
