/** Every problem `code` the API can answer with. One union so a missing HTTP mapping fails to compile. */
export const errorCodes = [
  'validation_failed',
  'bad_request',
  'unauthenticated',
  'invalid_credentials',
  'totp_required',
  'invalid_totp',
  'account_locked',
  'rate_limited',
  'csrf_failed',
  'forbidden',
  'not_found',
  'conflict',
  'duplicate_username',
  'duplicate_code',
  'duplicate_uscc',
  'duplicate_household',
  'household_not_eligible',
  'aid_cap_exceeded',
  'distinct_approver_required',
  'disbursement_exceeds_grant',
  'invalid_transition',
  'totp_already_enabled',
  'totp_not_enrolled',
  'idempotency_key_required',
  'idempotency_key_reused',
  'insufficient_stock',
  'insufficient_points',
  'return_exceeds_sale',
  'quota_exceeded',
  'no_entitlement_program',
  'payload_too_large',
  'unsupported_media_type',
  'internal_error',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/** One invalid field in a 422 answer. `field` is a dotted path (`center.phone`, `kinds.1`). */
export interface FieldError {
  field: string;
  code: string;
  message: string;
}

/** RFC 9457 problem details as every error answer carries them. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: ErrorCode;
  errors?: FieldError[];
  /** insufficient_stock: each line the store cannot fill. */
  lines?: { itemId: number; onHand: number; requested: number }[];
}
