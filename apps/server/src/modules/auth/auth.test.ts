import { rolePermissions } from '@qiao/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotp } from '../../platform/auth/totp.js';
import { ADMIN_PASSWORD, buildTestApp, PASSWORD, type TestApp } from '../../testing/test-app.js';

let t: TestApp;
let subdistrictId: number;
beforeAll(async () => {
  t = await buildTestApp();
  const d = await t.district();
  subdistrictId = (await t.subdistrict(d.id)).id;
});
afterAll(() => t.close());

describe('login', () => {
  it('answers the user, a CSRF token and an HttpOnly SameSite=Lax session cookie', async () => {
    const a = t.agent();
    const res = await a.login('admin', ADMIN_PASSWORD);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user).toMatchObject({ username: 'admin', role: 'city_admin', totpEnabled: false });
    expect(body.csrfToken).toEqual(expect.any(String));
    const cookie = res.cookies.find((c) => c.name === 'qiao_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(res.body).not.toContain('password_hash');
  });

  it('gives a new session id at every login', async () => {
    const a = t.agent();
    await a.login('admin', ADMIN_PASSWORD);
    const first = a.cookie;
    await a.login('admin', ADMIN_PASSWORD);
    expect(a.cookie).not.toBe(first);
  });

  it('answers unknown user and wrong password with the same 401 body', async () => {
    const unknown = await t.agent().login('nobody-here', 'whatever-Pass-123');
    const wrong = await t.agent().login('admin', 'wrong-Password-123');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
    expect(unknown.json().code).toBe('invalid_credentials');
  });

  it('matches usernames after NFKC and case folding', async () => {
    const res = await t.agent().login('ＡＤＭＩＮ', ADMIN_PASSWORD);
    expect(res.statusCode).toBe(200);
  });

  it('locks an account for 30 minutes after 5 consecutive failures, and audits it', async () => {
    const u = await t.userAgent('center_staff', subdistrictId);
    for (let i = 0; i < 5; i++) expect((await t.agent().login(u.username, 'Wrong-password-1')).statusCode).toBe(401);
    const locked = await t.agent().login(u.username, PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(locked.json().code).toBe('account_locked');
    const retry = Number(locked.headers['retry-after']);
    expect(retry).toBeGreaterThan(29 * 60);
    expect(retry).toBeLessThanOrEqual(30 * 60);
    const events = await t.db.kysely
      .selectFrom('audit_events')
      .select(['action', 'outcome'])
      .where('entity_id', '=', String(u.userId))
      .execute();
    expect(events.filter((e) => e.action === 'auth.lockout')).toHaveLength(1);
    expect(events.filter((e) => e.action === 'auth.login' && e.outcome === 'failure').length).toBeGreaterThanOrEqual(6);
    // An administrator lifts the lock by enabling the account again.
    expect((await t.admin.post(`/api/users/${u.userId}/enable`)).statusCode).toBe(200);
    expect((await t.agent().login(u.username, PASSWORD)).statusCode).toBe(200);
  });

  it('a success resets the failure count', async () => {
    const u = await t.userAgent('center_staff', subdistrictId);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 4; i++) await t.agent().login(u.username, 'Wrong-password-1');
      expect((await t.agent().login(u.username, PASSWORD)).statusCode).toBe(200);
    }
  });

  it('rejects unknown fields and missing fields with 422 listing each', async () => {
    const res = await t.agent().post('/api/auth/login', { username: 'admin', extra: 1 });
    expect(res.statusCode).toBe(422);
    const fields = res
      .json()
      .errors.map((e: { field: string }) => e.field)
      .sort();
    expect(fields).toEqual(['extra', 'password']);
  });
});

describe('sessions', () => {
  it('401 without a session, decided before validation', async () => {
    const res = await t.agent().post('/api/users', { nonsense: true });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('unauthenticated');
  });

  it('403 csrf_failed on a cookie write without the token, before validation', async () => {
    const a = t.agent();
    await a.login('admin', ADMIN_PASSWORD);
    const res = await a.request('POST', '/api/users', { nonsense: true }, { 'x-csrf-token': 'wrong' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('csrf_failed');
  });

  it('logout ends the session on the server', async () => {
    const a = t.agent();
    await a.login('admin', ADMIN_PASSWORD);
    const cookie = a.cookie;
    expect((await a.post('/api/auth/logout')).statusCode).toBe(204);
    const replay = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: cookie! } });
    expect(replay.statusCode).toBe(401);
  });

  it('expires after 30 idle minutes and after 12 hours in all', async () => {
    const a = await t.userAgent('center_staff', subdistrictId);
    expect((await a.get('/api/auth/me')).statusCode).toBe(200);
    const past = new Date(Date.now() - 31 * 60 * 1000).toISOString();
    await t.db.kysely.updateTable('sessions').set({ last_seen_at: past }).where('user_id', '=', a.userId!).execute();
    expect((await a.get('/api/auth/me')).statusCode).toBe(401);

    const b = await t.userAgent('center_staff', subdistrictId);
    await t.db.kysely
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('user_id', '=', b.userId!)
      .execute();
    expect((await b.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('a password change ends the other sessions and keeps the caller signed in', async () => {
    const u = await t.userAgent('center_staff', subdistrictId);
    const other = t.agent();
    await other.login(u.username, PASSWORD);
    const weak = await u.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'short' });
    expect(weak.statusCode).toBe(422);
    const wrong = await u.post('/api/auth/password', {
      currentPassword: 'not-it-Pass-1',
      newPassword: 'Another-Str0ng-Pass',
    });
    expect(wrong.json().errors[0].field).toBe('currentPassword');
    const ok = await u.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'Another-Str0ng-Pass' });
    expect(ok.statusCode).toBe(200);
    u.csrfToken = ok.json().csrfToken;
    expect((await u.get('/api/auth/me')).statusCode).toBe(200);
    expect((await other.get('/api/auth/me')).statusCode).toBe(401);
    expect((await t.agent().login(u.username, 'Another-Str0ng-Pass')).statusCode).toBe(200);
  });

  it('disabling a user ends their sessions and refuses their login', async () => {
    const u = await t.userAgent('center_staff', subdistrictId);
    expect((await t.admin.post(`/api/users/${u.userId}/disable`)).statusCode).toBe(200);
    expect((await u.get('/api/auth/me')).statusCode).toBe(401);
    expect((await t.agent().login(u.username, PASSWORD)).json().code).toBe('invalid_credentials');
  });

  it('keeps preferences per user', async () => {
    const u = await t.userAgent('volunteer', subdistrictId);
    const res = await u.patch('/api/auth/me', { elderlyMode: true, locale: 'en' });
    expect(res.statusCode).toBe(200);
    const me = await t.agent().login(u.username, PASSWORD);
    expect(me.json().user).toMatchObject({ elderlyMode: true, locale: 'en' });
    expect((await u.patch('/api/auth/me', { elderlyMode: 'yes' })).statusCode).toBe(422);
  });
});

describe('two-factor sign-in', () => {
  it('enrols, then requires a fresh code or a single-use recovery code', async () => {
    const u = await t.userAgent('center_staff', subdistrictId);
    const enroll = await u.post('/api/auth/totp/enroll');
    expect(enroll.statusCode).toBe(200);
    const { secret, otpauthUri } = enroll.json();
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/.*secret=/);
    expect(otpauthUri).toContain('algorithm=SHA1');
    expect((await u.post('/api/auth/totp/confirm', { code: '000000' })).statusCode).toBe(422);
    const confirm = await u.post('/api/auth/totp/confirm', { code: currentTotp(secret) });
    expect(confirm.statusCode).toBe(200);
    const codes: string[] = confirm.json().recoveryCodes;
    expect(codes).toHaveLength(10);
    const row = await t.db.kysely
      .selectFrom('users')
      .select(['totp_secret'])
      .where('id', '=', u.userId!)
      .executeTakeFirstOrThrow();
    expect(row.totp_secret).not.toContain(secret);

    const noCode = await t.agent().login(u.username, PASSWORD);
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json().code).toBe('totp_required');
    // The code used to confirm cannot be replayed.
    expect((await t.agent().login(u.username, PASSWORD, currentTotp(secret))).json().code).toBe('invalid_totp');
    const withRecovery = await t.agent().login(u.username, PASSWORD, codes[0]);
    expect(withRecovery.statusCode).toBe(200);
    expect((await t.agent().login(u.username, PASSWORD, codes[0])).json().code).toBe('invalid_totp');
    const next = currentTotp(secret, Date.now() + 30_000);
    expect((await t.agent().login(u.username, PASSWORD, next)).statusCode).toBe(200);
  });

  it('makes roles in QIAO_MFA_ROLES enrol before anything else', async () => {
    const strict = await buildTestApp({ QIAO_MFA_ROLES: 'city_admin' });
    try {
      const me = await strict.admin.get('/api/auth/me');
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({ mfaSetupRequired: true, mfaRequired: true });
      const blocked = await strict.admin.get('/api/users');
      expect(blocked.statusCode).toBe(403);
      const { secret } = (await strict.admin.post('/api/auth/totp/enroll')).json();
      expect((await strict.admin.post('/api/auth/totp/confirm', { code: currentTotp(secret) })).statusCode).toBe(200);
      expect((await strict.admin.get('/api/users')).statusCode).toBe(200);
      expect((await strict.admin.get('/api/auth/me')).json().mfaSetupRequired).toBe(false);
    } finally {
      await strict.close();
    }
  });
});

describe('rate limits and tokens', () => {
  it('limits logins per IP only far above a person’s pace', async () => {
    const limited = await buildTestApp({ QIAO_LOGIN_RATE_PER_MINUTE: '30' });
    try {
      const codes = [];
      for (let i = 0; i < 31; i++) codes.push((await limited.agent().login('nobody', 'x')).statusCode);
      expect(codes.slice(0, 29).every((c) => c === 401)).toBe(true);
      expect(codes[30]).toBe(429);
      const last = await limited.agent().login('nobody', 'x');
      expect(last.json().code).toBe('rate_limited');
      expect(last.headers['retry-after']).toBeDefined();
    } finally {
      await limited.close();
    }
  });

  it('API tokens act within their jurisdiction and permissions, and stop when revoked', async () => {
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const res = await t.admin.post('/api/tokens', {
      name: 'bureau sync',
      jurisdictionId: subdistrictId,
      permissions: ['user:read'],
      expiresAt,
    });
    expect(res.statusCode).toBe(201);
    const { token, id } = res.json();
    const row = await t.db.kysely
      .selectFrom('api_tokens')
      .select('token_hash')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.token_hash).not.toBe(token);
    const bearer = { authorization: `Bearer ${token}` };
    const users = await t.app.inject({ method: 'GET', url: '/api/users', headers: bearer });
    expect(users.statusCode).toBe(200);
    expect(users.json().items.every((u: { jurisdictionId: number }) => u.jurisdictionId === subdistrictId)).toBe(true);
    const write = await t.app.inject({ method: 'GET', url: '/api/jurisdictions', headers: bearer });
    expect(write.statusCode).toBe(403);
    expect((await t.admin.post(`/api/tokens/${id}/revoke`)).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/users', headers: bearer })).statusCode).toBe(401);
  });
});

describe('session housekeeping', () => {
  it('purges sessions that ended more than a day ago and keeps live ones', async () => {
    const { purgeEndedSessions } = await import('../../platform/auth/sessions.js');
    const u = await t.userAgent('volunteer', subdistrictId);
    const old = new Date(Date.now() - 2 * 86_400_000).toISOString();
    const stale = t.agent();
    await stale.login(u.username, PASSWORD);
    await t.db.kysely
      .updateTable('sessions')
      .set({ revoked_at: old })
      .where('user_id', '=', u.userId!)
      .where('id_hash', '!=', '')
      .execute();
    await u.login(u.username, PASSWORD);
    expect(await purgeEndedSessions(t.db.kysely)).toBeGreaterThanOrEqual(2);
    expect((await u.get('/api/auth/me')).statusCode).toBe(200);
  });
});

describe('the session answer', () => {
  it('names the user’s jurisdiction and whether two-factor set-up is pending', async () => {
    const v = await t.userAgent('volunteer', subdistrictId);
    const me = (await v.get('/api/auth/me')).json();
    expect(me.jurisdiction).toMatchObject({ id: subdistrictId, level: 'subdistrict' });
    expect(me.mfaSetupRequired).toBe(false);
    // A volunteer holds only what the till and the household lookup need.
    expect([...me.permissions].sort()).toEqual([...rolePermissions.volunteer].sort());
  });
});
