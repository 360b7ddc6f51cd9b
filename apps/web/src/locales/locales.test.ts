import {
  caseCategories,
  caseEventKinds,
  caseSeverities,
  caseStatuses,
  notificationKinds,
  referralStatuses,
  aidKinds,
  aidStatuses,
  disabilityKinds,
  disbursementMethods,
  hardshipCategories,
  memberRelations,
  volunteerHoursStatuses,
  volunteerStatuses,
  auditActions,
  auditEntityTypes,
  auditOutcomes,
  contactStatuses,
  departmentKinds,
  errorCodes,
  jurisdictionLevels,
  organizationKinds,
  organizationStatuses,
  partyBranchKinds,
  abnormalListingReasons,
  abnormalRemovalKinds,
  riskLevels,
  roles,
  serviceFields,
  userStatuses,
} from '@qiao/contracts';
import { describe, expect, it } from 'vitest';
import { statusTransitions } from '../features/organizations/organizations-api.js';
import { evidenceKeys, ruleModules } from '../features/risk/risk-api.js';
import { featureMessageFiles, messageClashes, messages } from './messages.js';

type Tree = { [key: string]: string | Tree };

/** Flattens nested locale JSON into dotted keys, the way i18next reads them. */
function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

const locales = { 'zh-CN': flatten(messages['zh-CN']), en: flatten(messages.en) };

// Vite reads the sources at transform time, so the test needs no Node file APIs.
const sources = import.meta.glob<string>(['../**/*.{ts,tsx}', '!../**/*.test.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

/**
 * Literal keys in the sources: t('key' / t("key" / i18nKey="key", and `…Key: 'key'` properties,
 * which hold keys passed to t() later (menu labels, facet cards).
 */
const KEY_PATTERNS = [
  /\bt\(\s*['"]([\w.-]+)['"]/g,
  /\bi18nKey=\{?\s*['"]([\w.-]+)['"]/g,
  /\b\w+Key:\s*['"]([\w.-]+)['"]/g,
];

function usedKeys(): Map<string, string> {
  const used = new Map<string, string>();
  for (const [file, text] of Object.entries(sources)) {
    for (const pattern of KEY_PATTERNS) {
      for (const match of text.matchAll(pattern)) used.set(match[1]!, file);
    }
  }
  return used;
}

/** Keys built at run time from a contract list: every member of the list needs its translation. */
const families: [string, readonly string[]][] = [
  ['roles', roles],
  ['levels', jurisdictionLevels],
  ['departmentKinds', departmentKinds],
  ['statuses', userStatuses],
  ['outcomes', auditOutcomes],
  ['errors', [...errorCodes, 'network_error', 'unknown']],
  ['auditActions', auditActions],
  ['entityTypes', auditEntityTypes],
  ['orgKinds', organizationKinds],
  ['orgStatuses', organizationStatuses],
  [
    'orgTransitions',
    Object.entries(statusTransitions).flatMap(([from, rules]) => rules.map((rule) => `${from}.${rule.to}`)),
  ],
  ['serviceFields', serviceFields],
  ['partyBranchKinds', partyBranchKinds],
  ['contactStatuses', contactStatuses],
  ['caseCategories', caseCategories],
  ['caseSeverities', caseSeverities],
  ['caseStatuses', caseStatuses],
  ['caseEvents', caseEventKinds],
  ['cases.referralStatuses', referralStatuses],
  ['cases.missed', ['acknowledge', 'resolve']],
  ['notifications.kinds', notificationKinds],
  ['notifications.missed', ['acknowledge', 'resolve']],
  ['hardshipCategories', hardshipCategories],
  ['memberRelations', memberRelations],
  ['disabilityKinds', disabilityKinds],
  ['aidKinds', aidKinds],
  ['aidStatuses', aidStatuses],
  ['disbursementMethods', disbursementMethods],
  ['volunteerHoursStatuses', volunteerHoursStatuses],
  ['volunteerStatuses', volunteerStatuses],
  // Field-level codes of the registry's refinements (not problem codes, so not in errorCodes).
  ['fieldErrors', ['invalid_uscc', 'invalid_id_number', 'unknown_service_field', 'retired_service_field']],
  // The supermarket's lot codes (ADR 0016).
  [
    'fieldErrors',
    [
      'expiry_required',
      'already_expired',
      'not_tracked',
      'lot_required',
      'unknown_lot',
      'item_in_stock',
      'lot_not_allowed',
      'expiry_not_allowed',
    ],
  ],
  ['riskLevels', riskLevels],
  ['riskEvidence', evidenceKeys],
  ['riskParameters', ['days', 'changes', 'complaints']],
  ['riskModules', ruleModules],
  ['abnormalReasons', abnormalListingReasons],
  ['abnormalRemovalKinds', abnormalRemovalKinds],
];

describe('locales', () => {
  it('defines each key once across the shared and feature files', () => {
    expect(messageClashes).toEqual({ 'zh-CN': [], en: [] });
  });

  it('has both languages for every feature file', () => {
    for (const file of featureMessageFiles) {
      expect(file, 'feature locale files are named zh-CN.json or en.json').toMatch(/\/(zh-CN|en)\.json$/);
      const other = file.endsWith('/en.json')
        ? file.replace(/en\.json$/, 'zh-CN.json')
        : file.replace(/zh-CN\.json$/, 'en.json');
      expect(featureMessageFiles, `${file} has no counterpart`).toContain(other);
    }
  });

  it('finds the sources to scan', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(20);
    expect(usedKeys().size).toBeGreaterThan(50);
  });

  it('has the same keys in zh-CN and en', () => {
    const zhKeys = [...locales['zh-CN'].keys()];
    const enKeys = [...locales.en.keys()];
    expect(
      zhKeys.filter((key) => !locales.en.has(key)),
      'in zh-CN but not in en',
    ).toEqual([]);
    expect(
      enKeys.filter((key) => !locales['zh-CN'].has(key)),
      'in en but not in zh-CN',
    ).toEqual([]);
  });

  it('has no empty values', () => {
    for (const [name, messages] of Object.entries(locales)) {
      const empty = [...messages].filter(([, value]) => value.trim() === '').map(([key]) => key);
      expect(empty, `empty in ${name}`).toEqual([]);
    }
  });

  it('translates every key the sources use', () => {
    for (const [name, messages] of Object.entries(locales)) {
      const missing = [...usedKeys()].filter(([key]) => !messages.has(key)).map(([key, file]) => `${key} (${file})`);
      expect(missing, `missing in ${name}`).toEqual([]);
    }
  });

  it.each(families)('translates every member of %s', (prefix, members) => {
    for (const [name, messages] of Object.entries(locales)) {
      const missing = members.filter((member) => !messages.has(`${prefix}.${member}`));
      expect(missing, `${prefix} missing in ${name}`).toEqual([]);
    }
  });

  it('uses the same interpolation variables in both languages', () => {
    const vars = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    const differ = [...locales['zh-CN']].filter(
      ([key, zh]) => JSON.stringify(vars(zh)) !== JSON.stringify(vars(locales.en.get(key) ?? '')),
    );
    expect(differ.map(([key]) => key)).toEqual([]);
  });
});
