import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import type { FieldError } from '@qiao/contracts';

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane.
const OPTIONS = { algorithm: 2 as const, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;
/** Spends a verify's time on unknown usernames so timing does not tell which usernames exist. */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword('qiao-timing-equalizer-not-a-password');
  await verifyPassword(await dummyHash, password);
}

const common = new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));

/** True when the password, or its letters/digits core ("Password2024!" → "password"), is a common one. */
function isCommonPassword(password: string): boolean {
  const lower = password.toLowerCase();
  if (common.has(lower)) return true;
  const letters = lower.replace(/[^\p{L}]/gu, '');
  const stripped = lower.replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '').replace(/\d+$/, '');
  return (letters.length >= 4 && common.has(letters)) || (stripped.length >= 4 && common.has(stripped));
}

/**
 * The password policy (MLPS 2.0 level 3): 12–128 characters, three of four character classes,
 * not containing the username, not a common password. Answers every rule that fails.
 */
export function checkPasswordPolicy(password: string, username: string, field = 'password'): FieldError[] {
  const errors: FieldError[] = [];
  const fail = (code: string, message: string) => errors.push({ field, code, message });
  const length = [...password].length;
  if (length < 12) fail('too_short', 'at least 12 characters');
  if (length > 128) fail('too_long', 'at most 128 characters');
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) fail('too_few_classes', 'use 3 of: lowercase, uppercase, digits, symbols');
  const name = username.trim().toLowerCase();
  if (name.length >= 3 && password.toLowerCase().includes(name))
    fail('contains_username', 'must not contain the username');
  if (isCommonPassword(password)) fail('common_password', 'too common; choose another');
  return errors;
}
