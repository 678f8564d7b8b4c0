/**
 * An error the user can act on: printed as one line (with a location when the
 * input had one) and never as a stack trace.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export { fsReason } from '../core/fs-reason';
