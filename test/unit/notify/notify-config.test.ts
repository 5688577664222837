import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';

const secret = 'x'.repeat(40);
const production = { NODE_ENV: 'production', SESSION_SECRET: secret, DATABASE_URL: 'postgres://app@db.example.org/redress' };
const API_KEY = `redress_test-${'1'.repeat(8)}-1111-1111-1111-${'1'.repeat(12)}-${'2'.repeat(8)}-2222-2222-2222-${'2'.repeat(12)}`;

describe('email settings', () => {
  it('only logs (a hash of the address) in development by default', () => {
    const config = loadConfig({});
    expect(config.notify.transport).toBe('log');
    expect(config.publicBaseUrl).toBe('http://localhost:3000');
  });

  it('reads SMTP and GOV.UK Notify settings', () => {
    expect(loadConfig({ NOTIFY_TRANSPORT: 'smtp', SMTP_URL: 'smtp://relay.example:587', MAIL_FROM: 'a@b.example' }).notify).toMatchObject({ transport: 'smtp', smtpUrl: 'smtp://relay.example:587', smtpRequireTls: false });
    const notify = loadConfig({
      NOTIFY_TRANSPORT: 'govuk_notify',
      GOVUK_NOTIFY_API_KEY: API_KEY,
      GOVUK_NOTIFY_TEMPLATE_IDS: 'allocation=3fa85f64-5717-4562-b3fc-2c963f66afa6, acknowledgement=3fa85f64-5717-4562-b3fc-2c963f66afa7',
    }).notify;
    expect(notify.govukNotifyTemplateIds).toEqual({ allocation: '3fa85f64-5717-4562-b3fc-2c963f66afa6', acknowledgement: '3fa85f64-5717-4562-b3fc-2c963f66afa7' });
  });

  it('refuses a transport without what it needs', () => {
    expect(() => loadConfig({ NOTIFY_TRANSPORT: 'smtp' })).toThrow(/SMTP_URL/);
    expect(() => loadConfig({ NOTIFY_TRANSPORT: 'govuk_notify' })).toThrow(/GOVUK_NOTIFY_API_KEY/);
    expect(() => loadConfig({ NOTIFY_TRANSPORT: 'govuk_notify', GOVUK_NOTIFY_API_KEY: API_KEY })).toThrow(/GOVUK_NOTIFY_TEMPLATE_IDS/);
    expect(() => loadConfig({ NOTIFY_TRANSPORT: 'pigeon' })).toThrow(/NOTIFY_TRANSPORT/);
  });

  describe('in production', () => {
    it('refuses the log transport', () => {
      expect(() => loadConfig({ ...production, NOTIFY_TRANSPORT: 'log' })).toThrow(/NOTIFY_TRANSPORT=log/);
    });

    it('keeps messages in the outbox when no transport is chosen', () => {
      expect(loadConfig(production).notify.transport).toBe('disabled');
    });

    it('needs an https base URL and a sender, and requires TLS to a remote SMTP relay', () => {
      const smtp = { ...production, NOTIFY_TRANSPORT: 'smtp', SMTP_URL: 'smtp://relay.example:587' };
      expect(() => loadConfig({ ...smtp, MAIL_FROM: 'a@b.example' })).toThrow(/PUBLIC_BASE_URL/);
      expect(() => loadConfig({ ...smtp, MAIL_FROM: 'a@b.example', PUBLIC_BASE_URL: 'http://redress.example' })).toThrow(/PUBLIC_BASE_URL/);
      expect(() => loadConfig({ ...smtp, PUBLIC_BASE_URL: 'https://redress.example' })).toThrow(/MAIL_FROM/);
      const config = loadConfig({ ...smtp, MAIL_FROM: 'a@b.example', PUBLIC_BASE_URL: 'https://redress.example/' });
      expect(config.publicBaseUrl).toBe('https://redress.example');
      expect(config.notify.smtpRequireTls).toBe(true);
    });
  });
});
