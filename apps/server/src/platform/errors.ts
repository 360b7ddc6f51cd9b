import type { ErrorCode, FieldError } from '@qiao/contracts';

/** HTTP status of every problem code; a code without one fails to compile. */
export const errorStatus = {
  validation_failed: 422,
  bad_request: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  totp_required: 401,
  invalid_totp: 401,
  account_locked: 429,
  rate_limited: 429,
  csrf_failed: 403,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  duplicate_username: 409,
  duplicate_code: 409,
  duplicate_uscc: 409,
  duplicate_household: 409,
  household_not_eligible: 409,
  aid_cap_exceeded: 409,
  distinct_approver_required: 409,
  disbursement_exceeds_grant: 409,
  invalid_transition: 409,
  totp_already_enabled: 409,
  totp_not_enrolled: 409,
  idempotency_key_required: 400,
  idempotency_key_reused: 422,
  insufficient_stock: 409,
  insufficient_points: 409,
  return_exceeds_sale: 409,
  quota_exceeded: 409,
  no_entitlement_program: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  internal_error: 500,
} as const satisfies Record<ErrorCode, number>;

/** A failure the user can act on. Services throw these; one handler renders them as problem+json. */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;
  /** Extension members of the problem (RFC 9457 §3.2), such as the short lines of a checkout. */
  readonly extensions?: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    detail: string,
    options: { errors?: FieldError[]; headers?: Record<string, string>; extensions?: Record<string, unknown> } = {},
  ) {
    super(detail);
    this.name = 'DomainError';
    this.code = code;
    this.errors = options.errors;
    this.headers = options.headers;
    this.extensions = options.extensions;
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export const notFound = (what = 'resource') => new DomainError('not_found', `No such ${what}.`);
export const forbidden = (detail = 'You may not do this.') => new DomainError('forbidden', detail);

/** A 422 naming each invalid field, for rules a schema cannot express (policy, references). */
export function invalidFields(errors: FieldError[]): DomainError {
  return new DomainError('validation_failed', 'Some fields are invalid.', { errors });
}
