import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Container } from '../../container.ts';
import type { Role } from '../../domain/users/roles.ts';
import { isIsoDate, isoWeekday } from '../../domain/calendar/iso-date.ts';
import { paths } from '../paths.ts';
import { renderPage } from '../render.ts';
import { formDate, formErrors, fromZod, tryAction, type FormErrors } from '../forms.ts';
import { actorOf } from '../actor.ts';

const VIEW: readonly Role[] = ['admin', 'complaints_manager', 'complaints_officer'];
const MANAGE: readonly Role[] = ['admin'];
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

const addForm = z.object({
  title: z.string().trim().min(1, 'Enter the name of the bank holiday').max(200, 'Name must be 200 characters or fewer'),
  reason: z.string().trim().min(1, 'Enter why the day is added, for example the proclamation').max(1000, 'Reason must be 1000 characters or fewer'),
});

const removeForm = z.object({
  date: z.string().refine(isIsoDate, 'Choose a bank holiday to remove'),
  reason: z.string().trim().min(1, 'Enter why the day is no longer a bank holiday').max(1000, 'Reason must be 1000 characters or fewer'),
});

type Values = Record<string, string | undefined>;

/** The GOV.UK date input's three boxes as an ISO date, or what is wrong with them. */
function dateFromParts(values: Values): { date: string } | { error: string } {
  const date = formDate(values, 'date');
  if (date === '') return { error: 'Enter the date of the bank holiday' };
  return isIsoDate(date) ? { date } : { error: 'Date must be a real date, for example 27 12 2027' };
}

const describeDate = (date: string): string => {
  const [y, m, d] = date.split('-').map(Number);
  const month = new Intl.DateTimeFormat('en-GB', { month: 'long', timeZone: 'UTC' }).format(Date.UTC(y ?? 2000, (m ?? 1) - 1, 1));
  return `${WEEKDAYS[isoWeekday(date) - 1] ?? ''} ${String(d)} ${month} ${String(y)}`;
};

export function calendarRoutes(container: Container): FastifyPluginCallback {
  const { calendar } = container;

  /** Whether `year` is one of the calendar's years (its range comes from the shipped data). */
  async function isCalendarYear(year: number): Promise<boolean> {
    const current = await calendar.calendar();
    return Number.isInteger(year) && year >= Number(current.first.slice(0, 4)) && year <= Number(current.last.slice(0, 4));
  }

  async function renderYear(request: FastifyRequest, reply: FastifyReply, year: number, extra: { values?: Values; errors?: FormErrors; saved?: string } = {}) {
    const view = await calendar.year(year);
    const canManage = request.user?.roles.some((r) => MANAGE.includes(r)) === true;
    return renderPage(request, reply, 'pages/admin/calendar.njk', {
      title: `Bank holidays ${String(year)}`,
      year,
      previousYear: (await isCalendarYear(year - 1)) ? year - 1 : undefined,
      nextYear: (await isCalendarYear(year + 1)) ? year + 1 : undefined,
      holidays: view.holidays.map((h) => ({ ...h, label: describeDate(h.date) })),
      removed: view.removed.map((r) => ({ ...r, label: describeDate(r.date) })),
      canManage,
      values: extra.values ?? {},
      errors: extra.errors,
      saved: extra.saved,
    });
  }

  return (app, _options, done) => {
    app.get<{ Querystring: { year?: string; saved?: string } }>(paths.calendar.pattern, { config: { access: VIEW } }, async (request, reply) => {
      const today = container.clock().toISOString().slice(0, 4);
      const raw = request.query.year ?? today;
      const year = /^\d{4}$/.test(raw) ? Number(raw) : Number(today);
      const result = await tryAction(() => renderYear(request, reply, year, { saved: request.query.saved }), 'year');
      if (!result.ok) return renderYear(request, reply.code(400), Number(today), { errors: result.errors });
      return result.value;
    });

    app.post(paths.addHoliday.pattern, { config: { access: MANAGE } }, async (request, reply) => {
      const values = (request.body ?? {}) as Values;
      // On a problem, show the year typed, or else the year the form was on.
      const typedYear = Number(values['date-year']);
      const viewedYear = Number(values.viewYear);
      const shownYear = (await isCalendarYear(typedYear)) ? typedYear : (await isCalendarYear(viewedYear)) ? viewedYear : Number(container.clock().toISOString().slice(0, 4));
      const date = dateFromParts(values);
      const parsed = addForm.safeParse(values);
      const problems = [
        ...('error' in date ? [{ field: 'date', message: date.error }] : []),
        ...(parsed.success ? [] : parsed.error.issues.map((i) => ({ field: String(i.path[0]), message: i.message }))),
      ];
      if (!parsed.success || 'error' in date) return renderYear(request, reply, shownYear, { values, errors: formErrors(problems) });
      const result = await tryAction(
        () => calendar.change({ date: date.date, change: 'add', title: parsed.data.title, reason: parsed.data.reason }, actorOf(request)),
        'date',
      );
      if (!result.ok) return renderYear(request, reply, shownYear, { values, errors: result.errors });
      return reply.redirect(paths.calendar.url({ year: date.date.slice(0, 4), saved: `${describeDate(date.date)} added; ${String(result.value.length)} open clock(s) re-dated` }), 303);
    });

    app.get<{ Querystring: { date?: string } }>(paths.removeHoliday.pattern, { config: { access: MANAGE } }, async (request, reply) => {
      const date = request.query.date ?? '';
      if (!isIsoDate(date)) {
        reply.callNotFound();
        return reply;
      }
      const year = await calendar.year(Number(date.slice(0, 4))).catch(() => undefined);
      const holiday = year?.holidays.find((h) => h.date === date);
      if (!holiday) {
        reply.callNotFound();
        return reply;
      }
      return renderPage(request, reply, 'pages/admin/calendar-remove.njk', { title: `Remove ${holiday.title}`, holiday: { ...holiday, label: describeDate(date) }, values: {} });
    });

    app.post(paths.removeHoliday.pattern, { config: { access: MANAGE } }, async (request, reply) => {
      const values = (request.body ?? {}) as Values;
      const parsed = removeForm.safeParse(values);
      const date = values.date ?? '';
      const holiday = isIsoDate(date) ? (await calendar.year(Number(date.slice(0, 4))).catch(() => undefined))?.holidays.find((h) => h.date === date) : undefined;
      if (!holiday) {
        reply.callNotFound();
        return reply;
      }
      const render = (errors: FormErrors) =>
        renderPage(request, reply, 'pages/admin/calendar-remove.njk', { title: `Remove ${holiday.title}`, holiday: { ...holiday, label: describeDate(date) }, values, errors });
      if (!parsed.success) return render(fromZod(parsed.error));
      const result = await tryAction(() => calendar.change({ date, change: 'remove', title: '', reason: parsed.data.reason }, actorOf(request)), 'reason');
      if (!result.ok) return render(result.errors);
      return reply.redirect(paths.calendar.url({ year: date.slice(0, 4), saved: `${describeDate(date)} is now a working day; ${String(result.value.length)} open clock(s) re-dated` }), 303);
    });
    done();
  };
}
