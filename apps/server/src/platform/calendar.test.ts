import { describe, expect, it } from 'vitest';
import { addDays, shanghaiDay, shanghaiToday } from './calendar.js';

describe('Shanghai calendar days', () => {
  it('is already tomorrow in Shanghai from 16:00 UTC', () => {
    expect(shanghaiDay(new Date('2026-11-27T15:59:59Z'))).toBe('2026-11-27');
    expect(shanghaiDay(new Date('2026-11-27T16:00:00Z'))).toBe('2026-11-28');
    expect(shanghaiToday(() => new Date('2026-12-31T17:00:00Z'))).toBe('2027-01-01');
  });

  it('adds days across months, leap days and years', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});
