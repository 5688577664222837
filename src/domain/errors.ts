/**
 * An error the domain raises when a rule refuses something. The code is stable: the web
 * layer maps it to a form error or an error page, the API returns it as
 * `{ "error": { "code", "message" } }`, and tests assert on it.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** The form field or input the error is about, when there is one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Several problems with one input, for a form to show all at once; its code and message are the first one's. */
export class InputProblems extends DomainError {
  constructor(readonly problems: readonly DomainError[]) {
    const [first] = problems;
    super(first?.code ?? 'invalid_input', first?.message ?? 'The input is not valid', first?.field);
    this.name = 'InputProblems';
  }
}

/** Throws InputProblems when there is any problem. */
export function refuseProblems(problems: readonly DomainError[]): void {
  if (problems.length > 0) throw new InputProblems(problems);
}
