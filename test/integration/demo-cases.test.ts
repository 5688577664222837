/**
 * The demo's year of cases: taken through Stage 1 by the same services the pages use, so a
 * newcomer finds cases at every step, clocks running, met and missed, and timelines in date
 * order — on both engines.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/databases.ts';
import { testClock, testContainer } from '../support/builders.ts';
import type { Container } from '../../src/container.ts';
import { DEMO_CASES } from '../../src/app/demo-service.ts';
import { hashToken } from '../../src/app/secure-link-service.ts';
import { createApp } from '../../src/web/app.ts';

const NOW = '2026-11-26T10:00:00.000Z';

describeEachEngine('demo cases', (database) => {
  let container: Container;
  const kysely = () => database().db.kysely;

  beforeAll(async () => {
    container = await testContainer(database(), testClock(NOW));
    await container.demo.ensure({ withCases: true });
  }, 120_000);
  afterAll(async () => {
    await container.close();
  });

  it('has cases at every step of Stage 1', async () => {
    const rows = await kysely().selectFrom('representation').select(['status', 'kind']).execute();
    expect(rows.length).toBeGreaterThanOrEqual(DEMO_CASES);
    const statuses = new Set(rows.map((r) => r.status));
    for (const status of ['registered', 'allocated', 'responded', 'withdrawn', 'closed']) expect(statuses, status).toContain(status);
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['children_statutory', 'corporate', 'informal', 'comment', 'compliment']));
  });

  it('has complaints at Stage 2 and at a review panel, worked by the demo’s appointed people', async () => {
    const stage2 = await kysely().selectFrom('stage2').select('state').execute();
    expect(stage2.map((s) => s.state).sort()).toEqual(['adjudicated', 'adjudicated', 'investigating']);
    expect(await kysely().selectFrom('stage3').select('state').execute()).toEqual([{ state: 'panel_met' }]);
    const appointed = await kysely().selectFrom('appointment').select(['role', 'user_id']).where('ended_on', 'is', null).execute();
    expect(new Set(appointed.map((a) => a.role))).toEqual(new Set(['investigator', 'independent_person', 'panel_member']));
    expect(appointed.every((a) => a.role === 'panel_member' || a.user_id !== null)).toBe(true);
    // Each report received has its document: a real (small) PDF.
    const reports = await kysely()
      .selectFrom('stage2')
      .leftJoin('attachment', (join) => join.onRef('attachment.subject_id', '=', 'stage2.id').on('attachment.subject_type', '=', 'stage2_report'))
      .select(['stage2.report_received_on', 'attachment.id', 'attachment.media_type'])
      .where('stage2.report_received_on', 'is not', null)
      .execute();
    expect(reports).toHaveLength(2);
    expect(reports.every((r) => r.id !== null && r.media_type === 'application/pdf')).toBe(true);
  });

  it('has clocks met, missed and still running, with responses late and on time', async () => {
    const stage1 = await kysely().selectFrom('clock').select(['is_open', 'due_on', 'events']).where('clock_key', '=', 'stage1_response').execute();
    const today = NOW.slice(0, 10);
    expect(stage1.some((c) => c.is_open === 1 && c.due_on < today)).toBe(true); // overdue
    expect(stage1.some((c) => c.is_open === 1 && c.due_on >= today)).toBe(true); // running
    const stopped = stage1.filter((c) => c.is_open === 0).map((c) => ({ due: c.due_on, stopped: (JSON.parse(c.events) as { stoppedOn?: string }).stoppedOn }));
    expect(stopped.some((c) => c.stopped !== undefined && c.stopped > c.due)).toBe(true); // late
    expect(stopped.some((c) => c.stopped !== undefined && c.stopped <= c.due)).toBe(true); // on time
    const delayed = await kysely().selectFrom('representation_code').select('code').where('list', '=', 'delay_reason').execute();
    expect(delayed.length).toBeGreaterThan(0);
  });

  it('dates each step on its own day, in order, never after today', async () => {
    const entries = await kysely().selectFrom('history_entry').select(['subject_id', 'occurred_at', 'action']).where('subject_type', '=', 'representation').orderBy('id').execute();
    const last = new Map<number, string>();
    for (const entry of entries) {
      expect(entry.occurred_at <= NOW).toBe(true);
      const before = last.get(entry.subject_id);
      if (before !== undefined) expect(entry.occurred_at >= before, `${entry.action} of ${String(entry.subject_id)}`).toBe(true);
      last.set(entry.subject_id, entry.occurred_at);
    }
    const actions = new Set(entries.map((e) => e.action));
    for (const action of ['registered', 'acknowledge', 'allocate', 'record_response', 'close', 'extend', 'pause', 'record_advocacy_offer', 'record_eligibility_decision']) {
      expect(actions, action).toContain(action);
    }
  });

  it('records its year of emails on their own days: none failed, none left over from before today, and live links to follow', async () => {
    const outbox = await kysely().selectFrom('notification_outbox').select(['id', 'status', 'next_attempt_at']).execute();
    expect(outbox.filter((m) => m.status === 'failed')).toEqual([]);
    expect(outbox.filter((m) => m.status === 'pending' && m.next_attempt_at.slice(0, 10) < NOW.slice(0, 10))).toEqual([]);
    const copies = await kysely().selectFrom('email_copy').select(['outbox_id', 'template_key', 'body', 'recorded_at']).orderBy('id').execute();
    expect(copies.map((c) => c.outbox_id).sort()).toEqual(outbox.filter((m) => m.status === 'sent').map((m) => m.id).sort());
    expect(new Set(copies.map((c) => c.recorded_at.slice(0, 10))).size).toBeGreaterThan(10);
    // The newest Stage 2 and questionnaire links were sent recently enough to open today.
    const app = await createApp(container);
    try {
      for (const template of ['next_stage_link', 'questionnaire']) {
        const latest = copies.filter((c) => c.template_key === template).at(-1);
        const url = /https?:\/\/\S+(\/respond\/\S+)/.exec(latest?.body ?? '');
        expect(url?.[1], template).toBeDefined();
        const token = url?.[1]?.split('/').at(-1) ?? '';
        const link = await kysely().selectFrom('secure_link').select(['expires_at', 'used_at']).where('token_hash', '=', hashToken(token)).executeTakeFirstOrThrow();
        expect(link.used_at).toBeNull();
        expect(link.expires_at > NOW).toBe(true);
        const page = await app.inject({ method: 'GET', url: url?.[1] ?? '' });
        expect(page.statusCode, template).toBe(200);
      }
    } finally {
      await app.close();
    }
  });
});

