/**
 * The fixed code lists are `as const` arrays; each list's `isX`
 * guard is this check. It takes `unknown` because its main use is checking what a form, an
 * API body or an imported file says.
 */
export function isOneOf<Code extends string>(codes: readonly Code[], value: unknown): value is Code {
  return typeof value === 'string' && (codes as readonly string[]).includes(value);
}
