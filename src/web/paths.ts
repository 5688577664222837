/**
 * Typed URL helpers. Routes register `pattern`; templates and controllers build URLs with
 * `url(params)`, never by hand, so a renamed route cannot leave a broken link behind.
 */
type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

export type RouteParams<P extends string> = { readonly [K in ParamNames<P>]: string | number };

export interface Route<P extends string> {
  readonly pattern: P;
  url(...args: ParamNames<P> extends never ? [query?: Record<string, string>] : [params: RouteParams<P>, query?: Record<string, string>]): string;
}

export function route<P extends string>(pattern: P): Route<P> {
  return {
    pattern,
    url(...args: unknown[]): string {
      const hasParams = pattern.includes(':');
      const params = (hasParams ? args[0] : undefined) as Record<string, string | number> | undefined;
      const query = (hasParams ? args[1] : args[0]) as Record<string, string> | undefined;
      const path = pattern.replace(/:(\w+)/g, (_, name: string) => {
        const value = params?.[name];
        if (value === undefined) throw new Error(`Missing URL parameter ${name} for ${pattern}`);
        return encodeURIComponent(String(value));
      });
      const search = query ? new URLSearchParams(query).toString() : '';
      return search === '' ? path : `${path}?${search}`;
    },
  };
}

export const paths = {
  home: route('/'),
  signIn: route('/sign-in'),
  signOut: route('/sign-out'),
  dashboard: route('/dashboard'),
  healthLive: route('/health/live'),
  healthReady: route('/health/ready'),
  teams: route('/admin/teams'),
  newTeam: route('/admin/teams/new'),
  editTeam: route('/admin/teams/:teamId/edit'),
  newServiceArea: route('/admin/service-areas/new'),
  users: route('/admin/users'),
  newUser: route('/admin/users/new'),
  userStatus: route('/admin/users/:userId/status'),
  cases: route('/cases'),
  newCase: route('/cases/new'),
  caseRegistered: route('/cases/registered'),
  caseDetail: route('/cases/:reference'),
  caseAction: route('/cases/:reference/actions/:action'),
  calendar: route('/admin/calendar'),
  addHoliday: route('/admin/calendar/add'),
  removeHoliday: route('/admin/calendar/remove'),
  accessibility: route('/accessibility'),
  apiDocs: route('/api/docs'),
} as const;

export type Paths = typeof paths;
