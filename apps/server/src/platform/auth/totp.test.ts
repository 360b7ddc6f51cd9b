import { describe, expect, it } from 'vitest';
import { currentTotp, matchTotp, newRecoveryCodes, newTotpSecret } from './totp.js';

describe('TOTP (RFC 6238)', () => {
  it('matches the RFC 6238 SHA-1 test vector', () => {
    // RFC 6238 appendix B: secret "12345678901234567890", T = 59 s → 94287082 (8 digits); 6 digits → 287082.
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    expect(currentTotp(secret, 59_000)).toBe('287082');
    expect(matchTotp(secret, '287082', 59_000)).toBe(1);
  });
  it('accepts one step of drift and nothing further', () => {
    const secret = newTotpSecret();
    const now = Date.now();
    expect(matchTotp(secret, currentTotp(secret, now - 30_000), now)).not.toBeNull();
    expect(matchTotp(secret, currentTotp(secret, now - 90_000), now)).toBeNull();
  });
  it('makes ten distinct recovery codes of the form xxxx-xxxx', () => {
    const codes = newRecoveryCodes();
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}$/);
  });
});
