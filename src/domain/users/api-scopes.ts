/** What an API token may do. A token also acts with its user's roles: both must allow it. */
export const API_SCOPES = ['representations:read', 'representations:write', 'ombudsman:read', 'ombudsman:write', 'learning:read', 'learning:write'] as const;

export type ApiScope = (typeof API_SCOPES)[number];

export function isApiScope(value: string): value is ApiScope {
  return (API_SCOPES as readonly string[]).includes(value);
}
