import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy, hashPassword, verifyPassword } from './passwords.js';

const codes = (password: string, username = 'zhangsan') => checkPasswordPolicy(password, username).map((e) => e.code);

describe('the password policy', () => {
  it('accepts a long password with three classes', () => {
    expect(codes('Harbour-Lights-42')).toEqual([]);
    expect(codes('长城在北方-Great-2026')).toEqual([]);
  });
  it('names every rule that fails', () => {
    expect(codes('Ab1!')).toContain('too_short');
    expect(codes('A'.repeat(60) + 'b1!'.repeat(30))).toContain('too_long');
    expect(codes('onlylowercaseletters')).toEqual(['too_few_classes']);
    expect(codes('Zhangsan-Pass-2026')).toEqual(['contains_username']);
  });
  it('refuses common passwords and their decorated forms', () => {
    expect(codes('Password12345!')).toContain('common_password');
    expect(codes('Qwertyuiop123!')).toContain('common_password');
    expect(codes('iloveyou-2026!')).toContain('common_password');
  });
  it('hashes with argon2id and verifies', async () => {
    const hash = await hashPassword('Harbour-Lights-42');
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(hash, 'Harbour-Lights-42')).toBe(true);
    expect(await verifyPassword(hash, 'harbour-lights-42')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
  });
});
