/**
 * `/admin/settings`: the council's settings — how day 0 is counted for a complaint that arrives
 * on a weekend or bank holiday, whether holds may pause a corporate complaint's time limit (and
 * for how long), and the acknowledgement days. Administrators change them (every field checked,
 * an error summary with a message a field, nothing saved on any error); complaints managers
 * read them. A change applies only to time limits that start after it.
 */
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import type { Container } from '../../container.ts';
import type { Role } from '../../domain/users/roles.ts';
import { RECEIPT_RULES, type ReceiptRule } from '../../domain/calendar/counting-rule.ts';
import { COUNCIL_SETTING_LIMITS, type CouncilSettings } from '../../domain/procedures/council-settings.ts';
import { COUNCIL_SETTING_KEYS, RECEIPT_RULE_MEANINGS } from '../../domain/procedures/council-setting-names.ts';
import { formErrors, formText, tryAction, type FormBody, type FormErrors } from '../forms.ts';
import { actorOf } from '../actor.ts';
import { paths } from '../paths.ts';
import { renderPage } from '../render.ts';

const VIEW: readonly Role[] = ['admin', 'complaints_manager'];
const MANAGE: readonly Role[] = ['admin'];

type NumberField = 'corporateMaxPausedWorkingDays' | 'childrenAcknowledgementDays' | 'corporateAcknowledgementDays' | 'adultAcknowledgementDays' | 'adultResponseMonths';

/** Each number field's label (also the start of its error messages). */
const NUMBER_LABELS: Readonly<Record<NumberField, string>> = {
  corporateMaxPausedWorkingDays: 'Most working days one time limit can be paused',
  childrenAcknowledgementDays: 'Working days to acknowledge a Children Act complaint',
  corporateAcknowledgementDays: 'Working days to acknowledge a corporate complaint',
  adultAcknowledgementDays: 'Working days to acknowledge an adult social care complaint',
  adultResponseMonths: 'Months to respond to an adult social care complaint when no period has been agreed',
};

const ACKNOWLEDGEMENT_FIELDS: readonly NumberField[] = ['childrenAcknowledgementDays', 'corporateAcknowledgementDays', 'adultAcknowledgementDays', 'adultResponseMonths'];

const RECEIPT_RULE_NAMES: Readonly<Record<ReceiptRule, string>> = { statutory: 'The day it arrives', next_working_day: 'The next working day' };

type Values = Record<string, string>;

/** The settings as the form's fields hold them. */
function valuesOf(settings: CouncilSettings): Values {
  const values: Values = { receiptRule: settings.receiptRule, corporatePausesAllowed: settings.corporatePausesAllowed ? 'yes' : 'no' };
  for (const key of COUNCIL_SETTING_KEYS) if (typeof settings[key] === 'number') values[key] = String(settings[key]);
  return values;
}

/** A whole number typed into `field`, or what is wrong with it. */
function numberOf(field: NumberField, raw: string): { value: number } | { problem: string } {
  const { min, max, unit } = COUNCIL_SETTING_LIMITS[field];
  if (raw === '') return { problem: `Enter the ${NUMBER_LABELS[field].charAt(0).toLowerCase()}${NUMBER_LABELS[field].slice(1)}` };
  const value = /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(value) || value < min || value > max) return { problem: `${NUMBER_LABELS[field]} must be a whole number of ${unit} from ${String(min)} to ${String(max)}` };
  return { value };
}

/** The changes a posted form asks for, or a problem a field (every field is checked). */
function changesOf(values: Values): { changes: Partial<CouncilSettings>; problems: { field: string; message: string }[] } {
  const changes: Partial<CouncilSettings> = {};
  const problems: { field: string; message: string }[] = [];
  const rule = RECEIPT_RULES.find((r) => r === values.receiptRule);
  if (rule === undefined) problems.push({ field: 'receiptRule', message: 'Select which day is day 0 for a complaint that arrives on a weekend or bank holiday' });
  else changes.receiptRule = rule;
  if (values.corporatePausesAllowed !== 'yes' && values.corporatePausesAllowed !== 'no') {
    problems.push({ field: 'corporatePausesAllowed', message: 'Select yes if a hold may pause the time limit of a corporate complaint' });
  } else {
    changes.corporatePausesAllowed = values.corporatePausesAllowed === 'yes';
  }
  // The maximum is asked for (and checked) only under "Yes"; with "No" the stored one is kept.
  const numbers = values.corporatePausesAllowed === 'yes' ? ['corporateMaxPausedWorkingDays' as const, ...ACKNOWLEDGEMENT_FIELDS] : ACKNOWLEDGEMENT_FIELDS;
  for (const field of numbers) {
    const parsed = numberOf(field, values[field] ?? '');
    if ('problem' in parsed) problems.push({ field, message: parsed.problem });
    else changes[field] = parsed.value;
  }
  return { changes, problems };
}

export function councilSettingsRoutes(container: Container): FastifyPluginCallback {
  const service = container.councilSettings;

  async function settingsPage(request: FastifyRequest, reply: FastifyReply, data: { values?: Values; errors?: FormErrors; saved?: string } = {}): Promise<FastifyReply> {
    const current = await service.settings();
    return renderPage(request, reply, 'pages/admin/council-settings.njk', {
      title: 'Council settings',
      canManage: request.user?.roles.some((role) => MANAGE.includes(role)) === true,
      values: data.values ?? valuesOf(current),
      errors: data.errors,
      saved: data.saved,
      receiptRules: RECEIPT_RULES.map((r) => ({ value: r, text: RECEIPT_RULE_NAMES[r], hint: RECEIPT_RULE_MEANINGS[r] })),
      numberLabels: NUMBER_LABELS,
      acknowledgementFields: ACKNOWLEDGEMENT_FIELDS.map((field) => ({ name: field, label: NUMBER_LABELS[field], ...COUNCIL_SETTING_LIMITS[field] })),
      maxPaused: COUNCIL_SETTING_LIMITS.corporateMaxPausedWorkingDays,
      summaryRows: [
        { key: { text: 'Day 0 for a complaint that arrives on a weekend or bank holiday' }, value: { text: `${RECEIPT_RULE_NAMES[current.receiptRule]}: ${RECEIPT_RULE_MEANINGS[current.receiptRule]}` } },
        {
          key: { text: 'Can a hold pause the time limit of a corporate complaint?' },
          value: { text: current.corporatePausesAllowed ? `Yes, for at most ${String(current.corporateMaxPausedWorkingDays)} working days` : 'No' },
        },
        ...ACKNOWLEDGEMENT_FIELDS.map((field) => ({ key: { text: NUMBER_LABELS[field] }, value: { text: String(current[field]) } })),
        {
          key: { text: 'How long a closed case’s personal data is kept' },
          value: {
            text: `${String(current.retentionYearsAfterClosure)} years after the end of the financial year in which it closed, and at least until the young person is ${String(current.retentionMinimumAge)} (see Retention)`,
          },
        },
      ],
    });
  }

  return (app, _options, done) => {
    app.get(paths.councilSettings.pattern, { config: { access: VIEW } }, (request, reply) => settingsPage(request, reply));

    app.post<{ Body: FormBody }>(paths.councilSettings.pattern, { config: { access: MANAGE } }, async (request, reply) => {
      const body = request.body;
      const values: Values = { receiptRule: formText(body, 'receiptRule'), corporatePausesAllowed: formText(body, 'corporatePausesAllowed') };
      for (const field of Object.keys(NUMBER_LABELS)) values[field] = formText(body, field);
      const { changes, problems } = changesOf(values);
      if (problems.length > 0) return settingsPage(request, reply, { values, errors: formErrors(problems) });
      const before = await service.settings();
      const result = await tryAction(() => service.update(changes, actorOf(request)), 'receiptRule');
      if (!result.ok) return settingsPage(request, reply, { values, errors: result.errors });
      const changed = COUNCIL_SETTING_KEYS.filter((key) => before[key] !== result.value[key]).length;
      const saved =
        changed === 0 ? 'No settings were changed' : `Council settings saved: ${String(changed)} ${changed === 1 ? 'setting' : 'settings'} changed. The change applies to time limits that start from now.`;
      return settingsPage(request, reply, { saved });
    });
    done();
  };
}
