/**
 * `npm ci` on the oldest Node.js that package.json promises prints no engine warnings: every
 * installed package's `engines.node` range admits that version. A dependency bumped to a
 * release that declares a newer Node fails here rather than in a council's install log.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

type Version = readonly [number, number, number];

interface LockPackage {
  readonly version?: string;
  readonly engines?: { readonly node?: string } | readonly string[];
}

const root = new URL('../../', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as {
  packages: Record<string, LockPackage>;
};

function parts(text: string): number[] {
  return text
    .replace(/^v/, '')
    .split('.')
    .filter((p) => p !== '' && !/^[x*]$/i.test(p))
    .map(Number);
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i += 1) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

function padded(p: number[]): Version {
  return [p[0] ?? 0, p[1] ?? 0, p[2] ?? 0];
}

/** One comparator of an npm range (`>=20`, `^22`, `~1.2`, `20.x`, `*`) against a version. */
function satisfiesComparator(version: Version, comparator: string): boolean {
  const match = /^(>=|<=|>|<|\^|~|=)?\s*(.*)$/.exec(comparator);
  const op = match?.[1] ?? '=';
  const given = parts(match?.[2] ?? '');
  if (given.length === 0) return true;
  const bound = padded(given);
  const c = compare(version, bound);
  switch (op) {
    case '>=':
      return c >= 0;
    case '>':
      return c > 0;
    case '<=':
      return c <= 0;
    case '<':
      return c < 0;
    case '^': {
      const major = given[0] ?? 0;
      return c >= 0 && (major > 0 ? version[0] === major : version[0] === 0 && version[1] === (given[1] ?? 0));
    }
    case '~':
      return c >= 0 && version[0] === given[0] && (given.length < 2 || version[1] === given[1]);
    default:
      // A partial version (`20`, `20.x`) matches every version it is a prefix of.
      return given.every((n, i) => version[i] === n);
  }
}

function satisfies(versionText: string, range: string): boolean {
  const version = padded(parts(versionText));
  return range.split('||').some((alternative) => {
    const comparators = alternative
      .trim()
      .replace(/(>=|<=|>|<|\^|~|=)\s+/g, '$1')
      .split(/\s+/)
      .filter((c) => c !== '');
    return comparators.every((c) => satisfiesComparator(version, c));
  });
}

describe('package engines', () => {
  it('reads npm ranges as npm does', () => {
    expect(satisfies('20.19.0', '>=20.19')).toBe(true);
    expect(satisfies('20.19.0', '>=22')).toBe(false);
    expect(satisfies('20.19.0', '^22 || ^24 || >=26')).toBe(false);
    expect(satisfies('20.19.0', '18 || 20 || >=22')).toBe(true);
    expect(satisfies('20.19.0', '20.x || 22.x')).toBe(true);
    expect(satisfies('20.19.0', '>= 10')).toBe(true);
    expect(satisfies('20.19.0', '^16 || ^18 || >=20')).toBe(true);
    expect(satisfies('20.19.0', '>=14 <20')).toBe(false);
    expect(satisfies('20.19.0', '*')).toBe(true);
  });

  it('installs nothing that declares a newer Node.js than the oldest one promised', () => {
    const oldest = /\d+(\.\d+){0,2}/.exec(manifest.engines.node)?.[0] ?? '';
    expect(oldest).not.toBe('');
    const refusing = Object.entries(lock.packages)
      .filter(([name]) => name !== '')
      .flatMap(([name, p]) => {
        const range = Array.isArray(p.engines) ? undefined : (p.engines as { node?: string } | undefined)?.node;
        return range !== undefined && !satisfies(oldest, range) ? [`${name}@${p.version ?? '?'} wants node ${range}`] : [];
      });
    expect(refusing).toEqual([]);
  });
});
