import { Secret, TOTP } from 'otpauth';
import { randomBytes } from 'node:crypto';

// RFC 6238 as every authenticator app reads it: SHA-1, 30 s, 6 digits.
const PARAMS = { algorithm: 'SHA1', digits: 6, period: 30 } as const;

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function otpauthUri(secret: string, account: string, issuer: string): string {
  return new TOTP({ ...PARAMS, issuer, label: account, secret: Secret.fromBase32(secret) }).toString();
}

/**
 * The time step a code matches (±1 step for clock drift), or null. Callers refuse a step not
 * newer than the last one used, so an observed code cannot be replayed.
 */
export function matchTotp(secret: string, code: string, now = Date.now()): number | null {
  const totp = new TOTP({ ...PARAMS, secret: Secret.fromBase32(secret) });
  const delta = totp.validate({ token: code, timestamp: now, window: 1 });
  if (delta === null) return null;
  return Math.floor(now / 1000 / PARAMS.period) + delta;
}

/** The current code; tests and the demo use it to act as an authenticator app. */
export function currentTotp(secret: string, now = Date.now()): string {
  return new TOTP({ ...PARAMS, secret: Secret.fromBase32(secret) }).generate({ timestamp: now });
}

/** Ten single-use recovery codes, `xxxx-xxxx` from an alphabet without look-alikes. */
export function newRecoveryCodes(count = 10): string[] {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  return Array.from({ length: count }, () => {
    const bytes = randomBytes(8);
    const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
    return `${chars.slice(0, 4)}-${chars.slice(4)}`;
  });
}
