import { describe, expect, it } from 'vitest';
import { canAccess, ROLES } from '../../src/domain/users/roles.ts';
import { route } from '../../src/web/paths.ts';

describe('route access', () => {
  it('lets everyone use a public route', () => {
    expect(canAccess('public', undefined)).toBe(true);
  });

  it('needs a signed-in user for signed_in routes', () => {
    expect(canAccess('signed_in', undefined)).toBe(false);
    expect(canAccess('signed_in', [])).toBe(true);
  });

  it.each(ROLES)('gives %s only the routes that list it', (role) => {
    expect(canAccess([role], [role])).toBe(true);
    const others = ROLES.filter((r) => r !== role);
    expect(canAccess(others, [role])).toBe(false);
  });
});

describe('typed URL helpers', () => {
  it('fill parameters and escape them', () => {
    const r = route('/admin/teams/:teamId/edit');
    expect(r.url({ teamId: 42 })).toBe('/admin/teams/42/edit');
    expect(r.url({ teamId: 'a/b' })).toBe('/admin/teams/a%2Fb/edit');
    expect(route('/sign-in').url({ returnTo: '/x?y=1' })).toBe('/sign-in?returnTo=%2Fx%3Fy%3D1');
  });
});
