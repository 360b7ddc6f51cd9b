import { describe, expect, it } from 'vitest';
import { filingsExportUrl, jobPercent, organizationsExportUrl } from './registry-sync-api.js';

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

describe('jobPercent', () => {
  it('measures rows read against the counted lines, never full before the job is done', () => {
    expect(jobPercent({ status: 'running', rows: 0, estimatedRows: null })).toBe(0);
    expect(jobPercent({ status: 'running', rows: 500, estimatedRows: 2_000 })).toBe(25);
    // A quoted field over several lines makes the count high, a short one never passes 99 while running.
    expect(jobPercent({ status: 'running', rows: 2_100, estimatedRows: 2_000 })).toBe(99);
    expect(jobPercent({ status: 'done', rows: 1_990, estimatedRows: 2_000 })).toBe(100);
    expect(jobPercent({ status: 'failed', rows: 10, estimatedRows: 2_000 })).toBe(100);
  });
});
