import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ErrorCode, FieldError, Problem } from '@qiao/contracts';
import { DomainError, errorStatus } from '../errors.js';

const titles: Record<ErrorCode, string> = {
  validation_failed: 'Some fields are invalid',
  bad_request: 'The request could not be read',
  unauthenticated: 'Please sign in',
  invalid_credentials: 'Wrong username or password',
  totp_required: 'A two-factor code is needed',
  invalid_totp: 'The two-factor code is wrong',
  account_locked: 'The account is locked for a while',
  rate_limited: 'Too many requests',
  csrf_failed: 'The request lacks its CSRF token',
  forbidden: 'Not allowed',
  not_found: 'Not found',
  conflict: 'Conflict',
  duplicate_username: 'That username is taken',
  duplicate_code: 'That code is taken',
  duplicate_uscc: 'That credit code is already registered',
  duplicate_household: 'That ID number is already registered with a household',
  household_not_eligible: 'The household may not redeem now',
  aid_cap_exceeded: 'The household’s yearly aid cap would be exceeded',
  distinct_approver_required: 'A second approval must come from another person',
  disbursement_exceeds_grant: 'More than the approved amount would be paid',
  invalid_transition: 'That status change is not allowed',
  totp_already_enabled: 'Two-factor sign-in is already on',
  totp_not_enrolled: 'Two-factor sign-in is not set up',
  idempotency_key_required: 'An Idempotency-Key header is required',
  idempotency_key_reused: 'That Idempotency-Key was used for a different request',
  insufficient_stock: 'Not enough stock',
  insufficient_points: 'Not enough points',
  return_exceeds_sale: 'More than the sale had',
  quota_exceeded: 'Over the period’s quota',
  no_entitlement_program: 'No entitlement program covers this household',
  payload_too_large: 'The request is too large',
  unsupported_media_type: 'Unsupported content type',
  internal_error: 'Something went wrong on our side',
};

export function sendProblem(
  reply: FastifyReply,
  code: ErrorCode,
  detail?: string,
  extra: { errors?: FieldError[]; headers?: Record<string, string>; extensions?: Record<string, unknown> } = {},
) {
  const status = errorStatus[code];
  const body: Problem = {
    ...extra.extensions,
    type: `https://qiao.example/problems/${code}`,
    title: titles[code],
    status,
    code,
  };
  if (detail) body.detail = detail;
  if (extra.errors) body.errors = extra.errors;
  if (extra.headers) reply.headers(extra.headers);
  return reply.code(status).type('application/problem+json; charset=utf-8').send(body);
}

/** Turns a zod issue list (from the type provider) into one FieldError per invalid field. */
function fieldErrors(error: FastifyError): FieldError[] {
  const out: FieldError[] = [];
  const where = (error as { validationContext?: string }).validationContext;
  for (const v of error.validation ?? []) {
    const path = v.instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
    const params = v.params as { keys?: string[] };
    if (v.keyword === 'unrecognized_keys' && params.keys) {
      for (const key of params.keys) {
        out.push({ field: path ? `${path}.${key}` : key, code: 'unknown_field', message: 'unknown field' });
      }
      continue;
    }
    // A refinement names its own code (invalid_uscc…) in its params; zod's own issues use their kind.
    const own = (v.params as { params?: { code?: unknown } }).params?.code;
    out.push({
      field: path || where || 'body',
      code: typeof own === 'string' ? own : v.keyword,
      message: v.message ?? 'invalid',
    });
  }
  return out;
}

/** The one error handler: every failure leaves as RFC 9457 problem+json, nothing internal leaks. */
export function registerProblemHandlers(
  app: FastifyInstance,
  onDenied: (req: FastifyRequest, detail: string) => Promise<void>,
) {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (error instanceof DomainError) {
      if (error.code === 'forbidden') await onDenied(request, error.message);
      return sendProblem(reply, error.code, error.message, {
        errors: error.errors,
        headers: error.headers,
        extensions: error.extensions,
      });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      return sendProblem(reply, 'validation_failed', 'Some fields are invalid.', { errors: fieldErrors(error) });
    }
    const status = error.statusCode ?? 500;
    if (status === 413) return sendProblem(reply, 'payload_too_large', 'The request body is larger than allowed.');
    if (status === 415) return sendProblem(reply, 'unsupported_media_type', 'Send application/json.');
    if (status === 429) {
      return sendProblem(reply, 'rate_limited', 'Too many requests; wait a moment and try again.');
    }
    if (status >= 400 && status < 500) {
      return sendProblem(reply, 'bad_request', 'The request could not be read.');
    }
    request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, 'internal_error', `Please try again. Reference: ${request.id}`);
  });
}
