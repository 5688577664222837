/** The current time, passed in everywhere so that tests can fix it. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** Who did something, for the audit trail: a signed-in user, or the CLI (userId null). */
export interface Actor {
  readonly userId: number | null;
  readonly ip: string | null;
  readonly requestId: string | null;
}

export const CLI_ACTOR: Actor = { userId: null, ip: null, requestId: null };
