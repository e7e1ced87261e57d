/** The closed set of failure kinds that domain rules and services may report. */
export type DomainErrorCode =
  | 'not_found'
  | 'invalid_input'
  | 'conflict'
  | 'not_allowed'
  | 'precondition_failed'
  | 'precondition_required'
  | 'unauthenticated'
  | 'too_many_requests';

/** One problem with one field of an input, located by a JSON path or a file position. */
export interface FieldIssue {
  /** JSON path (`/pledges/3/quantity`) or `line N, column NAME` for files. */
  path: string;
  /** What is wrong, in words a user can act on. */
  message: string;
}

/** The one error type thrown by domain and services; the API maps `code` to an HTTP status. */
export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly issues: FieldIssue[];

  constructor(code: DomainErrorCode, message: string, issues: FieldIssue[] = []) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.issues = issues;
  }
}

/** Builds the error for a record that does not exist (or that the viewer may not see). */
export function notFound(entity: string, id: string): DomainError {
  return new DomainError('not_found', `${entity} ${id} was not found`);
}

/** Builds the error for input that breaks one or more field rules. */
export function invalidInput(message: string, issues: FieldIssue[] = []): DomainError {
  return new DomainError('invalid_input', message, issues);
}

/** Builds the error for a write that collides with existing state (duplicate id, illegal transition). */
export function conflict(message: string, issues: FieldIssue[] = []): DomainError {
  return new DomainError('conflict', message, issues);
}
