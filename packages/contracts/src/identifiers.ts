import { cleanText } from './text.js';

// GB 32100-2015: 18 characters from 31 symbols (no I, O, Z, S, V); the last is a mod-31 check.
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = Array.from({ length: 17 }, (_, i) => 3 ** i % 31);

/** Upper-cases and NFKC-normalizes (full-width → ASCII) what people type or paste; drops spaces. */
export function normalizeUscc(value: string): string {
  return cleanText(value).replace(/\s+/g, '').toUpperCase();
}

/** True when `uscc` (already normalized) is a well-formed Unified Social Credit Code with a correct check character. */
export function isValidUscc(uscc: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(uscc)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(uscc[i]!) * USCC_WEIGHTS[i]!;
  return USCC_CHARS[(31 - (sum % 31)) % 31] === uscc[17];
}

/** A code not issued by civil affairs (first character 5) is allowed but worth a second look. */
export function usccWarning(uscc: string): string | null {
  return uscc.startsWith('5') ? null : 'not a civil-affairs code (first character is not 5)';
}

/** The region (6 digits at positions 3–8) a USCC was issued in. */
export function usccRegion(uscc: string): string {
  return uscc.slice(2, 8);
}

// GB 11643-1999 resident ID numbers (and the 81/82/83 residence permits of the same form).
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

export function normalizeIdNumber(value: string): string {
  return cleanText(value).replace(/\s+/g, '').toUpperCase();
}

/** True for an 18-character ID number with a real birth date (not in the future) and a correct MOD 11-2 check. */
export function isValidIdNumber(id: string, today = new Date()): boolean {
  if (!/^[1-9]\d{16}[\dX]$/.test(id)) return false;
  const [y, m, d] = [Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14))];
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || birth.getUTCFullYear() !== y || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d)
    return false;
  if (birth.getTime() > today.getTime()) return false;
  const sum = ID_WEIGHTS.reduce((s, w, i) => s + w * Number(id[i]), 0);
  return ID_CHECK[sum % 11] === id[17];
}

/** `3101**********0839`: the region's first four and the last four, as lists and exports show it. */
export function maskIdNumber(id: string): string {
  return `${id.slice(0, 4)}${'*'.repeat(Math.max(0, id.length - 8))}${id.slice(-4)}`;
}

/** `138****8000` for mobiles; landlines keep the area code and last four. */
export function maskPhone(phone: string): string {
  if (/^1\d{10}$/.test(phone)) return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
  return `${phone.slice(0, Math.min(4, phone.length - 4))}****${phone.slice(-4)}`;
}
