import { describe, expect, it } from 'vitest';
import { selectedPath } from './app-shell.js';
import type { NavItem } from './nav-items.js';

const item = (path: string): NavItem => ({ path, labelKey: 'nav.home', testId: path, icon: null });
const items = [item('/market'), item('/market/till'), item('/cases'), item('/case-settings')];

describe('selectedPath', () => {
  it('selects the deepest entry a page lies under', () => {
    expect(selectedPath('/market/till', items)).toBe('/market/till');
    expect(selectedPath('/market', items)).toBe('/market');
    expect(selectedPath('/cases/12', items)).toBe('/cases');
  });

  it('matches whole path segments only, and falls back to home', () => {
    expect(selectedPath('/case-settings', items)).toBe('/case-settings');
    expect(selectedPath('/marketing', items)).toBe('/');
    expect(selectedPath('/', items)).toBe('/');
  });
});
