import { describe, expect, it } from 'vitest';
import { isValidIdNumber, isValidUscc, maskIdNumber, maskPhone, normalizeUscc, usccWarning } from './identifiers.js';

/** Completes 17 characters with their GB 32100 check character (a test helper, computed independently). */
function withUsccCheck(body: string): string {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const sum = [...body].reduce(
    (s, c, i) => s + chars.indexOf(c) * [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28][i]!,
    0,
  );
  return body + chars[(31 - (sum % 31)) % 31];
}

describe('Unified Social Credit Codes (GB 32100-2015)', () => {
  it('accepts codes with the right check character', () => {
    expect(isValidUscc('91350100M000100Y43')).toBe(true);
    const civil = withUsccCheck('51310101MJ0000001');
    expect(isValidUscc(civil)).toBe(true);
    expect(usccWarning(civil)).toBeNull();
    expect(usccWarning('91350100M000100Y43')).toMatch(/civil-affairs/);
  });
  it('refuses a wrong check character, a wrong length and forbidden letters', () => {
    expect(isValidUscc('91350100M000100Y44')).toBe(false);
    expect(isValidUscc('91350100M000100Y4')).toBe(false);
    expect(isValidUscc('91350100M000100I43')).toBe(false);
  });
  it('normalizes lowercase and full-width input', () => {
    expect(normalizeUscc(' ９１３５０１００ｍ０００１００ｙ４３ ')).toBe('91350100M000100Y43');
  });
});

describe('resident ID numbers (GB 11643)', () => {
  it('accepts a real date and the right MOD 11-2 check, including X', () => {
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('440524188001010014')).toBe(false); // before 1900
    expect(isValidIdNumber('110105194902300021')).toBe(false); // 30 February
    expect(isValidIdNumber('110105194912310021')).toBe(false); // wrong check
    expect(isValidIdNumber('810000199408230021')).toBe(true); // Hong Kong residence permit
  });
  it('refuses birth dates in the future', () => {
    expect(isValidIdNumber('11010520991231002X', new Date('2026-01-01'))).toBe(false);
  });
  it('masks as lists show it', () => {
    expect(maskIdNumber('310101199001010839')).toBe('3101**********0839');
    expect(maskPhone('13800138000')).toBe('138****8000');
    expect(maskPhone('02164001234')).toBe('0216****1234');
  });
});
