import type { FieldError } from '@qiao/contracts';
import type { FormInstance } from 'antd';
import type { TFunction } from 'i18next';
import { isApiError } from './api.js';
import { i18n } from './i18n.js';

function minutes(seconds: number): number {
  return Math.max(1, Math.ceil(seconds / 60));
}

/** What a person reads for a failed request: the code's own message, else the problem's detail. */
export function errorMessage(t: TFunction, error: unknown): string {
  if (!isApiError(error)) return t('errors.unknown');
  if (error.retryAfter !== undefined) {
    if (error.code === 'account_locked')
      return t('errors.account_locked_retry', { minutes: minutes(error.retryAfter) });
    if (error.code === 'rate_limited') return t('errors.rate_limited_retry', { minutes: minutes(error.retryAfter) });
  }
  const key = `errors.${error.code}`;
  // For these the server's detail names the reason (a role that needs two-factor sign-in, …).
  if ((error.code === 'forbidden' || error.code === 'conflict') && error.detail) return `${t(key)} ${error.detail}`;
  if (i18n.exists(key)) return t(key);
  return error.detail ?? (error.title || t('errors.unknown'));
}

/** A field error in the reader's language; codes without a translation keep the server's words. */
export function fieldErrorMessage(t: TFunction, error: FieldError): string {
  return t(`fieldErrors.${error.code}`, { message: error.message, defaultValue: error.message });
}

function toNamePath(field: string): (string | number)[] {
  return field.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/**
 * Shows each server field error under its form field. A nested path (`kinds.1`) lands on the
 * nearest registered ancestor (`kinds`). Returns the errors no field could show.
 */
export function applyFieldErrors(form: FormInstance, error: unknown, t: TFunction): FieldError[] {
  if (!isApiError(error)) return [];
  const registered = new Set(form.getFieldsError().map((field) => field.name.join('.')));
  const byField = new Map<string, string[]>();
  const unmatched: FieldError[] = [];
  for (const fieldError of error.fieldErrors) {
    const parts = fieldError.field.split('.');
    while (parts.length > 0 && !registered.has(parts.join('.'))) parts.pop();
    if (parts.length === 0) {
      unmatched.push(fieldError);
      continue;
    }
    const key = parts.join('.');
    byField.set(key, [...(byField.get(key) ?? []), fieldErrorMessage(t, fieldError)]);
  }
  form.setFields([...byField].map(([field, errors]) => ({ name: toNamePath(field), errors })));
  return unmatched;
}
