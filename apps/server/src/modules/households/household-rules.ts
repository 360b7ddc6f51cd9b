import type { RedeemBlock } from '@qiao/contracts';
import { shanghaiDay } from '../../platform/calendar.js';

// Pure rules of households: dates in Asia/Shanghai, redemption eligibility, card numbers. No I/O.

export { addDays } from '../../platform/calendar.js';

/** The calendar date (YYYY-MM-DD) in Asia/Shanghai at `at` (now by default). */
export function shanghaiToday(at: Date = new Date()): string {
  return shanghaiDay(at);
}

/** The Asia/Shanghai calendar year at `at`: the year an aid cap counts against. */
export function shanghaiYear(at: Date = new Date()): number {
  return Number(shanghaiToday(at).slice(0, 4));
}

/**
 * Whether a household may redeem on `today`: it must have been verified, and its verification must
 * hold through today (valid_until is the last valid day).
 */
export function redeemBlock(
  h: { verified_at: string | null; valid_until: string | null },
  today: string,
): RedeemBlock | null {
  if (!h.verified_at || !h.valid_until) return 'unverified';
  return h.valid_until < today ? 'expired' : null;
}

/** Luhn check digit of a digit string, so a mistyped card number is caught before a lookup. */
export function luhnDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** The card number of a household: its id in nine digits and a Luhn digit (`0000001234` + check). */
export function cardNumberFor(householdId: number): string {
  const body = String(householdId).padStart(9, '0');
  return body + luhnDigit(body);
}

/** True for a well-formed card number (ten digits with a correct Luhn digit). */
export function isCardNumber(value: string): boolean {
  return /^\d{10}$/.test(value) && luhnDigit(value.slice(0, 9)) === value[9];
}
