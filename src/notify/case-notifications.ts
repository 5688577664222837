/**
 * The emails a Stage 1 action causes, enqueued in the action's own transaction (so they go
 * if and only if the action is saved):
 *
 * - `allocate`: to the responding manager allocated (their account's email), with the case
 *   reference, the Stage 1 due date and a link — key `allocation:<representation id>:<version>`;
 * - `acknowledge`: to the complainant, when they gave an email address, with the reference,
 *   the date received and the date the response is due — key `acknowledgement:<representation id>`
 *   (one acknowledgement per case, however often the date is corrected).
 */
import type { Kysely } from 'kysely';
import { REPRESENTATION_SUBJECT } from '../db/representation-repository.ts';
import type { Database } from '../db/schema.ts';
import { STAGE1_CLOCK_KEYS } from '../domain/cases/stage1-clock.ts';
import { isProcedureKind } from '../domain/procedures/procedure-definitions.ts';
import { enqueue } from './outbox.ts';

export interface CaseActionEvent {
  readonly representationId: number;
  readonly reference: string;
  /** The case's version after the action. */
  readonly version: number;
  readonly action: string;
}


/** Enqueues what `event` should tell anyone; returns how many messages were added. Call inside the action's transaction. */
export async function enqueueCaseActionNotifications(trx: Kysely<Database>, event: CaseActionEvent, now: Date): Promise<number> {
  if (event.action !== 'allocate' && event.action !== 'acknowledge') return 0;
  const representation = await trx
    .selectFrom('representation')
    .select(['id', 'kind', 'received_on', 'responder_user_id', 'complainant_id'])
    .where('id', '=', event.representationId)
    .executeTakeFirst();
  if (representation === undefined) return 0;
  const stage1Key = isProcedureKind(representation.kind) ? STAGE1_CLOCK_KEYS[representation.kind] : undefined;
  const stage1 =
    stage1Key === undefined
      ? undefined
      : await trx
          .selectFrom('clock')
          .select(['due_on'])
          .where('subject_type', '=', REPRESENTATION_SUBJECT)
          .where('subject_id', '=', representation.id)
          .where('clock_key', '=', stage1Key)
          .orderBy('id', 'desc')
          .executeTakeFirst();
  const subject = { type: REPRESENTATION_SUBJECT, id: representation.id };

  if (event.action === 'allocate') {
    if (representation.responder_user_id === null) return 0;
    const responder = await trx.selectFrom('app_user').select(['email', 'is_active']).where('id', '=', representation.responder_user_id).executeTakeFirst();
    if (responder === undefined || responder.is_active !== 1) return 0;
    const added = await enqueue(
      trx,
      {
        idempotencyKey: `allocation:${String(representation.id)}:${String(event.version)}`,
        templateKey: 'allocation',
        recipient: responder.email,
        personalisation: { reference: event.reference, due_on: stage1?.due_on ?? 'not set' },
        subject,
      },
      now,
    );
    return added ? 1 : 0;
  }

  if (representation.complainant_id === null) return 0;
  const complainant = await trx.selectFrom('person').select(['email']).where('id', '=', representation.complainant_id).executeTakeFirst();
  const email = complainant?.email?.trim() ?? '';
  if (email === '' || !email.includes('@')) return 0;
  const added = await enqueue(
    trx,
    {
      idempotencyKey: `acknowledgement:${String(representation.id)}`,
      templateKey: 'acknowledgement',
      recipient: email,
      personalisation: { reference: event.reference, received_on: representation.received_on, response_due_on: stage1?.due_on ?? 'the date we agree with you' },
      subject,
    },
    now,
  );
  return added ? 1 : 0;
}
