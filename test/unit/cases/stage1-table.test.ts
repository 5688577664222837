/**
 * The Stage 1 table, exhaustively: every status × role × action is allowed or refused
 * exactly as the grid below says. The grid is written by hand from the procedure's
 * rules, independently of `STAGE1_TRANSITIONS`, so a slip in the table shows here.
 *
 * Cells: `.` not possible in that status; `T>status` the complaints team (officer and
 * manager) may, and the case moves to that status; `R>status` the team and a responding
 * manager (on their own or their team's case) may; `M>status` a complaints manager only (re-opening:
 * the cases here were allocated before they were withdrawn or closed); `=` for "stays in the same status";
 * `!code` refused for everyone with that code. At Stages 2 and 3 (`stage2`, `stage3`) the
 * Stage 1 actions are over: only a note may be added (later-stage-workflow.ts takes the rest).
 */
import { describe, expect, it } from 'vitest';
import { CASE_STATUSES, type CaseStatus } from '../../../src/domain/cases/case-status.ts';
import { STAGE1_ACTIONS, type Stage1Action, allowedActions, decide, transitionFor } from '../../../src/domain/cases/stage1-workflow.ts';
import { ROLES } from '../../../src/domain/users/roles.ts';
import { codeOf } from '../../support/domain-errors.ts';
import { VALID_INPUT, actor, context, happyFacts } from './stage1-builders.ts';

const GRID = `
action                       awaiting_registration  registered              allocated               awaiting_information    closure_warning_sent  responded  stage2  stage3  withdrawn              closed
register                     T>registered           .                       .                       .                       .                     .          .       .       .                      .
allocate                     .                      T>allocated             T>allocated             .                       .                     .          .       .       .                      .
acknowledge                  .                      T=                      T=                      T=                      T=                    .          .       .       .                      .
extend                       .                      T=                      T=                      T=                      T=                    .          .       .       .                      .
pause                        .                      T=                      T=                      T=                      T=                    .          .       .       .                      .
resume                       .                      T=                      T=                      T=                      T=                    .          .       .       .                      .
record_response              .                      T>responded             R>responded             .                       .                     .          .       .       !finding_on_withdrawn  .
request_information          .                      T>awaiting_information  T>awaiting_information  .                       .                     .          .       .       .                      .
record_information_received  .                      .                       .                       T>allocated             T>allocated           .          .       .       .                      .
send_closure_warning         .                      .                       .                       T>closure_warning_sent  .                     .          .       .       .                      .
withdraw_no_response         .                      .                       .                       .                       T>withdrawn           .          .       .       .                      .
withdraw_by_complainant      .                      T>withdrawn             T>withdrawn             T>withdrawn             T>withdrawn           .          .       .       .                      .
close                        .                      T>closed                T>closed                T>closed                T>closed              T>closed   .       .       T>closed               .
reopen                       .                      .                       .                       .                       .                     .          .       .       M>allocated            M>allocated
reclassify                   .                      T=                      T=                      T=                      T=                    .          .       .       .                      .
record_circumstances         .                      T=                      T=                      T=                      T=                    .          .       .       .                      .
record_eligibility_decision  .                      T=                      T=                      T=                      T=                    .          .       .       .                      .
record_advocacy_offer        .                      T=                      R=                      R=                      R=                    .          .       .       .                      .
add_note                     R=                     R=                      R=                      R=                      R=                    R=         R=      R=      R=                     R=
`;

type Cell = { kind: 'none' } | { kind: 'refused'; code: string } | { kind: 'allowed'; who: 'T' | 'R' | 'M'; to: CaseStatus | 'same' };

function parseGrid(): { statuses: string[]; rows: Map<string, Map<string, Cell>> } {
  const [header = '', ...lines] = GRID.trim().split('\n');
  const statuses = header.trim().split(/\s+/).slice(1);
  const rows = new Map<string, Map<string, Cell>>();
  for (const line of lines) {
    const [action = '', ...cells] = line.trim().split(/\s+/);
    const row = new Map<string, Cell>();
    cells.forEach((text, i) => {
      const status = statuses[i] ?? '';
      if (text === '.') row.set(status, { kind: 'none' });
      else if (text.startsWith('!')) row.set(status, { kind: 'refused', code: text.slice(1) });
      else row.set(status, { kind: 'allowed', who: text[0] === 'R' ? 'R' : text[0] === 'M' ? 'M' : 'T', to: text[1] === '=' ? 'same' : (text.slice(2) as CaseStatus) });
    });
    rows.set(action, row);
  }
  return { statuses, rows };
}

const { statuses, rows } = parseGrid();
const TEAM_ROLES = new Set(['complaints_officer', 'complaints_manager']);

it('the grid covers every status and every action', () => {
  expect(statuses).toEqual([...CASE_STATUSES]);
  expect([...rows.keys()]).toEqual([...STAGE1_ACTIONS]);
  for (const row of rows.values()) expect([...row.keys()]).toEqual([...CASE_STATUSES]);
});

describe.each(STAGE1_ACTIONS.map((action) => [action] as const))('%s', (action: Stage1Action) => {
  it.each(CASE_STATUSES.map((status) => [status] as const))('in %s: allowed or refused for each role as the grid says', (status) => {
    const cell = rows.get(action)?.get(status);
    expect(cell).toBeDefined();
    if (cell === undefined) return;
    for (const role of ROLES) {
      const facts = happyFacts(action, status);
      const who = actor([role]);
      const attempt = (): unknown => decide(facts, who, action, VALID_INPUT[action], context);
      const isAllowed =
        cell.kind === 'allowed' && (cell.who === 'M' ? role === 'complaints_manager' : TEAM_ROLES.has(role) || (cell.who === 'R' && role === 'responding_manager'));
      const expectedCode = cell.kind === 'none' ? 'action_not_allowed_in_status' : cell.kind === 'refused' ? cell.code : isAllowed ? undefined : 'role_may_not';

      expect({ role, code: codeOf(attempt) }).toEqual({ role, code: expectedCode });
      expect({ role, listed: allowedActions(facts, who).includes(action) }).toEqual({ role, listed: isAllowed });
      if (isAllowed) {
        const to = cell.to === 'same' ? status : cell.to;
        expect(decide(facts, who, action, VALID_INPUT[action], context)).toMatchObject({ from: status, to, actingRole: role });
      }
    }
  });
});

it('the table has one transition at most for each status and action', () => {
  // Building the table refuses duplicates; this reads every cell through the lookup as well.
  let count = 0;
  for (const status of CASE_STATUSES) for (const action of STAGE1_ACTIONS) if (transitionFor(status, action) !== undefined) count += 1;
  const expected = [...rows.values()].reduce((sum, row) => sum + [...row.values()].filter((cell) => cell.kind === 'allowed').length, 0);
  expect(count).toBe(expected);
});
