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
