import { describe, expect, it } from 'vitest';
import { cleanText, phoneSchema, textLine, usernameKey } from './text.js';

describe('text normalization', () => {
  it('applies NFKC, drops invisible characters and trims', () => {
    expect(cleanText(' ＡＢＣ１２３ ')).toBe('ABC123');
    expect(cleanText('助\u200B老\u202E服务\uFEFF')).toBe('助老服务');
  });
  it('counts code points, not UTF-16 units, and refuses control characters', () => {
    expect(textLine(3).safeParse('𠀀𠀀𠀀').success).toBe(true);
    expect(textLine(3).safeParse('𠀀𠀀𠀀𠀀').success).toBe(false);
    expect(textLine(10).safeParse('a\u0000b').success).toBe(false);
    expect(textLine(10).safeParse('   ').success).toBe(false);
  });
  it('folds usernames so look-alikes collide', () => {
    expect(usernameKey('Ｚhang.San')).toBe(usernameKey('zhang.san'));
  });
  it('accepts mainland mobiles and landlines only', () => {
    expect(phoneSchema.parse('138 0013 8000')).toBe('13800138000');
    expect(phoneSchema.parse('021-6400-1234')).toBe('02164001234');
    expect(phoneSchema.safeParse('12345').success).toBe(false);
    expect(phoneSchema.safeParse('23800138000').success).toBe(false);
  });
});
