import { describe, expect, it } from 'vitest';
import { loadConfig, parseDatabaseUrl } from './config.js';

const base = { QIAO_DATA_DIR: '/tmp/qiao-config-test' };

describe('configuration', () => {
  it('defaults to SQLite in the data dir, port 3000 on loopback, demo on outside production', () => {
    const c = loadConfig({ ...base, QIAO_SECRET: 's'.repeat(32) });
    expect(c).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      demo: true,
      jobs: true,
      mfaRoles: [],
      cityName: '上海市',
      cityCode: '310000',
    });
    expect(c.database).toEqual({ engine: 'sqlite', file: '/tmp/qiao-config-test/qiao.db' });
  });
  it('reads DATABASE_URL as file: or postgres://', () => {
    expect(parseDatabaseUrl('file:/var/qiao/x.db', '/d')).toEqual({ engine: 'sqlite', file: '/var/qiao/x.db' });
    expect(parseDatabaseUrl('postgres://u@h/db', '/d')).toEqual({ engine: 'postgres', url: 'postgres://u@h/db' });
    expect(() => parseDatabaseUrl('mysql://x', '/d')).toThrow(/DATABASE_URL/);
  });
  it('requires QIAO_SECRET in production and turns on its defaults there', () => {
    expect(() => loadConfig({ ...base, NODE_ENV: 'production' })).toThrow(/QIAO_SECRET is required/);
    const c = loadConfig({ ...base, NODE_ENV: 'production', QIAO_SECRET: 's'.repeat(32) });
    expect(c).toMatchObject({ demo: false, mfaRoles: ['city_admin', 'district_officer'] });
  });
  it('names every bad variable at once', () => {
    expect(() => loadConfig({ ...base, PORT: 'x', QIAO_CITY_CODE: '31', QIAO_MFA_ROLES: 'king' })).toThrow(
      /PORT[\s\S]*QIAO_CITY_CODE/,
    );
    expect(() => loadConfig({ ...base, QIAO_SECRET: 's'.repeat(32), QIAO_MFA_ROLES: 'king' })).toThrow(
      /unknown roles: king/,
    );
  });
  it('keeps a generated secret across restarts', () => {
    const dir = `/tmp/qiao-config-secret-${process.pid}`;
    expect(loadConfig({ QIAO_DATA_DIR: dir }).secret).toBe(loadConfig({ QIAO_DATA_DIR: dir }).secret);
  });
});
