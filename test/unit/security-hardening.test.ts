/** The security probe's findings that are pure rules: TRUST_PROXY, the sign-in returnTo, formula-like cells. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { safeReturnTo } from '../../src/web/auth/auth-routes.ts';
import { escapeCell, isFormulaLike, unescapeCell } from '../../src/domain/interchange/interchange-columns.ts';
import { monitoringCsv } from '../../src/reports/monitoring/monitoring-csv.ts';
import type { MonitoringReport } from '../../src/app/monitoring-service.ts';

describe('TRUST_PROXY', () => {
  const production = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), DATABASE_URL: 'postgres://app@db.example.org/redress' };

  it.each([
    [undefined, false],
    ['', false],
    ['false', false],
    ['no', false],
    ['0', false],
    ['1', 1],
    ['2', 2],
    ['10.0.0.5', ['10.0.0.5']],
    ['10.0.0.5, 10.1.0.0/16,::1,fd00::/8', ['10.0.0.5', '10.1.0.0/16', '::1', 'fd00::/8']],
  ])('reads %j as %j', (value, expected) => {
    const env = value === undefined ? {} : { TRUST_PROXY: value };
    expect(loadConfig(env).trustProxy).toEqual(expected);
    expect(loadConfig({ ...production, ...env }).trustProxy).toEqual(expected);
  });

  it.each(['true', 'TRUE', 'yes', 'on', '*'])('refuses %s (trust everyone) in every environment, saying what to give instead', (value) => {
    for (const env of [{ TRUST_PROXY: value }, { NODE_ENV: 'test', TRUST_PROXY: value }, { ...production, TRUST_PROXY: value }]) {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(/hop|number of proxies/);
      expect(() => loadConfig(env)).toThrow(/addresses/);
    }
    // One line.
    expect(() => loadConfig({ TRUST_PROXY: value })).not.toThrow(/\n/);
  });

  it.each(['10.0.0', '10.0.0.1/33', 'fd00::/129', 'proxy.internal', '10.0.0.1,,10.0.0.2', '10.0.0.1/8/8', '-1', '1.5', '99'])('refuses %s', (value) => {
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
  });
});

describe('the sign-in returnTo', () => {
  it.each(['/cases', '/admin/teams', '/cases?status=open&page=2', '/cases/RP-2025-0001#history', '/search?q=a%20b'])('keeps the same-site path %s', (path) => {
    expect(safeReturnTo(path)).toBe(path);
  });

  it.each([
    undefined,
    '',
    'cases',
    '//evil.example/',
    '/\\evil.example',
    '\\\\evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '/\r\n/evil.example',
    '/x\nSet-Cookie: a=b',
    '/\u0000',
    '/\u007f',
    ' /cases',
    '/ /evil.example',
    '/cases//evil',
    '/a\\b',
    'https://evil.example/',
    'javascript:alert(1)',
    '/\u3000/evil.example',
    '/caf\u00e9',
    '/%0A'.repeat(1000),
  ])('falls back to the dashboard for %j', (value) => {
    expect(safeReturnTo(value)).toBe('/dashboard');
  });
});

describe('formula-like cells', () => {
  const formulaLike = ['=1+2', '+44', '-3', '@SUM(A1)', '\uFF1D1+2', '\uFF0B44', '\uFF0D3', '\uFF20SUM(A1)', '\t=1+2', '\r=1+2', '\tplain', "'\uFF1Dx"];

  it.each(formulaLike)('escapes %j on export and gives it back on import', (text) => {
    expect(isFormulaLike(text)).toBe(true);
    expect(escapeCell(text)).toBe(`'${text}`);
    expect(unescapeCell(escapeCell(text))).toBe(text);
  });

  it('leaves ordinary text alone', () => {
    for (const text of ['plain', "O'Brien", "'quoted'", 'a=b', '', ' =x', '１２３']) {
      expect(escapeCell(text)).toBe(text);
      expect(unescapeCell(text)).toBe(text);
    }
  });

  it('escapes the full-width forms and a leading tab in the monitoring CSV too', () => {
    const figures = { received: {}, stage1Responses: 0, within10: 0, within20: 0, withdrawn: 0, openAtEnd: 0 };
    const report = {
      period: { from: '2025-04-01', to: '2026-03-31' },
      directorates: [
        { name: '\uFF1DHYPERLINK("http://evil.example")', figures, areas: [{ name: '\tcmd', figures }] },
        { name: '\uFF20SUM(1)', figures, areas: [] },
      ],
      noTeam: undefined,
      total: figures,
      uncounted: 0,
    } as unknown as MonitoringReport;
    const csv = monitoringCsv(report);
    expect(csv).toContain(`"'\uFF1DHYPERLINK(""http://evil.example"")"`);
    expect(csv).toContain(`'\tcmd`);
    expect(csv).toContain(`'\uFF20SUM(1)`);
    expect(csv).not.toMatch(/,\uFF1D|,\t|,\uFF20/);
  });
});
