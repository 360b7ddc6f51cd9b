import { z } from 'zod';

// Zero-width characters, bidi controls and the BOM: invisible, they make two names look equal
// that are not, or reorder what a reviewer reads.
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF\u00AD]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** NFKC-normalizes, drops invisible characters and trims: what every human-typed line goes through. */
export function cleanText(value: string): string {
  return value.normalize('NFKC').replace(INVISIBLE, '').trim();
}

/** A single line of human text: normalized, 1..max code points, no control characters. */
export function textLine(max: number) {
  return z
    .string()
    .transform(cleanText)
    .pipe(
      z
        .string()
        .min(1, { message: 'required' })
        .refine((v) => [...v].length <= max, { message: `at most ${max} characters` })
        .refine((v) => !CONTROL.test(v) && !/[\r\n]/.test(v), { message: 'control characters are not allowed' }),
    );
}

/** Multi-line text (addresses, notes): like textLine but newlines allowed. */
export function textBlock(max: number) {
  return z
    .string()
    .transform(cleanText)
    .pipe(
      z
        .string()
        .refine((v) => [...v].length <= max, { message: `at most ${max} characters` })
        .refine((v) => !CONTROL.test(v), { message: 'control characters are not allowed' }),
    );
}

/** Usernames compare equal after NFKC and case folding: `Ａｄｍｉｎ` and `admin` are one user. */
export function usernameKey(username: string): string {
  return cleanText(username).toLowerCase().normalize('NFKC');
}

/** Positive integer id as a path or body value; full-width digits are not accepted. */
export const idSchema = z.coerce
  .number({ message: 'must be a positive integer' })
  .int({ message: 'must be a positive integer' })
  .positive({ message: 'must be a positive integer' })
  .max(Number.MAX_SAFE_INTEGER);

export const idParams = z.strictObject({
  id: z
    .string()
    .regex(/^[1-9][0-9]{0,15}$/, 'must be a positive integer')
    .transform(Number),
});

/** Mainland mobile (1[3-9]x, 11 digits) or landline (area code 0xx/0xxx, 7–8 digits, optional extension). */
export const phoneSchema = z
  .string()
  .transform((v) => v.trim().replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^(1[3-9]\d{9}|0\d{2,3}\d{7,8}(#\d{1,6})?)$/, 'not a mainland mobile or landline number'))
  .meta({ examples: ['021-64001234'] });

export const dateSchema = z.iso.date({ message: 'must be a date YYYY-MM-DD' });
export const instantSchema = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 instant' });
