/**
 * The dashboard's "Email outbox" figure, for administrators and complaints managers: how long
 * the oldest email not yet sent has waited, and how many failed. Two cheap indexed queries;
 * no addresses or content. Rendered by partials/home/outbox-health.njk.
 */
import type { Container } from '../../container.ts';
import { canAccess, type Role } from '../../domain/users/roles.ts';

export const OUTBOX_WATCHERS: readonly Role[] = ['admin', 'complaints_manager'];

export interface OutboxHealthView {
  readonly unsent: number;
  /** "3 minutes", "2 hours", …; undefined when nothing waits. */
  readonly oldestAge: string | undefined;
  /** Waited longer than an hour: worth a look. */
  readonly isLate: boolean;
  readonly failed: number;
  /** Administrators may look at the outbox and try failed emails again. */
  readonly mayManage: boolean;
}

/** "45 seconds", "1 minute", "3 hours", "2 days": the largest whole unit. */
export function ageText(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const units: [number, string][] = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, name] of units) {
    if (seconds >= size) {
      const n = Math.floor(seconds / size);
      return `${String(n)} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  return `${String(seconds)} second${seconds === 1 ? '' : 's'}`;
}

/** The figure for a user with `roles`, or undefined if it is not for them. */
export async function outboxHealthFor(container: Container, roles: readonly Role[]): Promise<OutboxHealthView | undefined> {
  if (!canAccess(OUTBOX_WATCHERS, roles)) return undefined;
  const health = await container.notifications.outbox.health();
  const ageMs = health.oldestUnsentAt === undefined ? undefined : container.clock().getTime() - new Date(health.oldestUnsentAt).getTime();
  return {
    unsent: health.unsent,
    oldestAge: ageMs === undefined ? undefined : ageText(ageMs),
    isLate: ageMs !== undefined && ageMs > 3_600_000,
    failed: health.failed,
    mayManage: roles.includes('admin'),
  };
}
