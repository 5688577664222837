/**
 * A field shown under one choice of a radios field (the GOV.UK conditional reveal): the box
 * opens under the choice with JavaScript and is simply shown under it without, so the form
 * works either way. partials/cases/action-field.njk draws an item's `reveal`.
 */

/** Where a field is shown: under the choice `value` of the radios field `under`. */
export interface RevealPlace {
  readonly under: string;
  readonly value: string;
}

/** The fields of the action forms shown under a choice, by name. */
export const REVEALED_FIELDS: Readonly<Record<string, RevealPlace>> = {
  // "Other" reason for an extension (Stage 1 and Stage 2): the reason in words.
  extension_reason_text: { under: 'extension_reason', value: 'other' },
};

interface FieldView {
  readonly name: string;
  readonly hint?: string | undefined;
}

/** Moves each revealed field's view into its choice's item (`reveal`), taking it out of the list. */
export function withRevealedFields<View extends FieldView>(views: View[]): View[] {
  const result = [...views];
  for (const [field, place] of Object.entries(REVEALED_FIELDS)) {
    const index = result.findIndex((view) => view.name === field);
    const parent = result.find((view) => view.name === place.under);
    const items: unknown = parent !== undefined && 'items' in parent ? parent.items : undefined;
    const item = Array.isArray(items) ? (items as { value?: unknown; reveal?: unknown }[]).find((i) => i.value === place.value) : undefined;
    const revealed = result[index];
    if (revealed === undefined || item === undefined) continue;
    item.reveal = { ...revealed, hint: undefined };
    result.splice(index, 1);
  }
  return result;
}
