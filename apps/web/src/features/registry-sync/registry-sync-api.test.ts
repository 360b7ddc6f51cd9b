import { describe, expect, it } from 'vitest';
import { filingsExportUrl, organizationsExportUrl } from './registry-sync-api.js';

describe('export links', () => {
  it('carries the list filters and the format, without empty ones', () => {
    expect(
      organizationsExportUrl('xlsx', { q: '社区', kind: 'foundation', status: undefined, jurisdictionId: 7 }),
    ).toBe('/api/organizations/export?q=%E7%A4%BE%E5%8C%BA&kind=foundation&jurisdictionId=7&format=xlsx');
    expect(organizationsExportUrl('csv', {})).toBe('/api/organizations/export?format=csv');
  });

  it('asks for a revealed export with its reason', () => {
    expect(organizationsExportUrl('csv', { kind: 'foundation' }, { reason: '核对 负责人' })).toBe(
      '/api/organizations/export?kind=foundation&format=csv&reveal=true&reason=%E6%A0%B8%E5%AF%B9+%E8%B4%9F%E8%B4%A3%E4%BA%BA',
    );
  });

  it('asks for the filings in the chosen format', () => {
    expect(filingsExportUrl('csv')).toBe('/api/registry/filings/export?format=csv');
  });
});
