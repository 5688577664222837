/** Amounts of money, kept in pence (whole numbers) and typed and shown in pounds. */

/** Pounds as people type them ("£1,250.50", "250", or a number from an API body) in pence; undefined when it is not an amount. */
export function poundsToPence(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) && raw >= 0 && Number.isSafeInteger(raw * 100) && Math.round(raw * 100) === raw * 100 ? raw * 100 : undefined;
  if (typeof raw !== 'string') return undefined;
  const match = /^£?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{2}))?$/.exec(raw.trim());
  if (match === null) return undefined;
  const pence = Number((match[1] ?? '').replaceAll(',', '')) * 100 + Number(match[2] ?? '0');
  return Number.isSafeInteger(pence) ? pence : undefined;
}

/** "£1,250.50", "£350" */
export function formatPence(pence: number): string {
  const pounds = Math.floor(pence / 100);
  const rest = pence % 100;
  return `£${pounds.toLocaleString('en-GB')}${rest === 0 ? '' : `.${String(rest).padStart(2, '0')}`}`;
}
