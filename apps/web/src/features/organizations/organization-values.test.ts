import { describe, expect, it } from 'vitest';
import { i18n } from '../../lib/i18n.js';
import { describeValue } from './organization-values.js';

const nameOf = (id: number) => `#${id}`;
// What useFieldLabel answers once the taxonomy has loaded: an admin-added field has its labels there only.
const labels: Record<string, [string, string]> = {
  urban_farming: ['城市农园', 'Urban farming'],
  health: ['卫生健康', 'Health'],
};

describe('the change history’s values', () => {
  it('names admin-added fields of service by their labels, in the reader’s language', async () => {
    for (const [lang, at] of [
      ['zh-CN', 0],
      ['en', 1],
    ] as const) {
      await i18n.changeLanguage(lang);
      const label = (code: string) => labels[code]?.[at] ?? code;
      const t = i18n.t.bind(i18n);
      expect(describeValue(t, 'fields', ['urban_farming', 'health'], nameOf, label)).toBe(
        `${labels.urban_farming![at]}、${labels.health![at]}`,
      );
      // Without the list, the seeded fields still read as words; an unknown code shows as itself.
      expect(describeValue(t, 'fields', ['health', 'urban_farming'], nameOf)).toBe(
        `${lang === 'en' ? 'Health' : '卫生健康'}、urban_farming`,
      );
    }
  });
});
