import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../testing/test-app.js';

let t: TestApp;
let doc: {
  openapi: string;
  paths: Record<
    string,
    Record<string, { operationId?: string; tags?: string[]; summary?: string; security?: unknown[] }>
  >;
};
beforeAll(async () => {
  t = await buildTestApp();
  doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
});
afterAll(() => t.close());

const PUBLIC = new Set([
  'getHealth',
  'login',
  'listPublicOrganizations',
  'getPublicOrganization',
  'listPublicSubdistricts',
  'submitApplication',
  'listPublicServiceFields',
]);

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 and every operation has a unique camelCase operationId, a tag and a summary', () => {
    expect(doc.openapi).toBe('3.1.0');
    const ids: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        expect(op.operationId, `${method} ${path}`).toMatch(/^[a-z][a-zA-Z0-9]+$/);
        expect(op.tags?.length, `${method} ${path}`).toBeGreaterThan(0);
        expect(op.summary, `${method} ${path}`).toBeTruthy();
        ids.push(op.operationId!);
      }
    }
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of [
      'createJurisdiction',
      'listJurisdictions',
      'createDepartment',
      'createUser',
      'listUsers',
      'updateUser',
      'disableUser',
      'enrollTotp',
      'confirmTotp',
      'listAuditEvents',
      'verifyAuditChain',
      // The supermarket's contract (issue 4): names kept exactly.
      'createStore',
      'createItem',
      'recordDonation',
      'getStock',
      'grantPoints',
      'getHouseholdBalance',
      'checkout',
      'runRiskScan',
      'getOrganizationRisk',
      'listRiskRules',
      'updateRiskRule',
      'listServiceFields',
      'createServiceField',
      'updateServiceField',
      'addActivityPhoto',
      'getActivityPhoto',
      'deleteActivityPhoto',
      'listRegistryImportJobs',
    ]) {
      expect(ids).toContain(id);
    }
  });

  it('declares security: [] exactly on the public operations, and they answer without a session', async () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const isPublic = Array.isArray(op.security) && op.security.length === 0;
        expect(isPublic, `${op.operationId}`).toBe(PUBLIC.has(op.operationId!));
        if (!isPublic) {
          const res = await t.app.inject({ method: method.toUpperCase() as 'GET', url: path.replace('{id}', '1') });
          expect(res.statusCode, `${op.operationId} without a session`).toBe(401);
        }
      }
    }
  });

  it('serves the docs UI and the health check without a session', async () => {
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    const health = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(health.json()).toEqual({ status: 'ok', database: t.db.engine, version: expect.any(String) });
  });

  it('sends the security headers and no X-Powered-By', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.headers['x-request-id']).toBeTruthy();
  });

  it('answers unknown API paths with a problem, not the web app', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('not_found');
  });
});
