import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart } from '../../testing/multipart.js';
import { buildTestApp, PASSWORD, type Agent, type TestApp } from '../../testing/test-app.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
const HTML = Buffer.from('<html><body><script>alert(document.cookie)</script></body></html>');

let t: TestApp;
let subId: number;
let orgId: number;
let staff: Agent;

beforeAll(async () => {
  t = await buildTestApp({ QIAO_MAX_UPLOAD_MB: '2' });
  subId = (await t.subdistrict((await t.district()).id)).id;
  staff = await t.userAgent('center_staff', subId);
  orgId = (
    await staff.post('/api/organizations', { kind: 'community_org', name: '文档测试队', jurisdictionId: subId })
  ).json().id;
});
afterAll(() => t.close());

async function upload(agent: Agent, org: number, body: { payload: Buffer; contentType: string }) {
  return t.app.inject({
    method: 'POST',
    url: `/api/organizations/${org}/documents`,
    headers: { cookie: agent.cookie!, 'x-csrf-token': agent.csrfToken!, 'content-type': body.contentType },
    payload: body.payload,
  });
}

describe('organization documents', () => {
  it('stores a PDF under a random name with its hash, and serves it back as an attachment', async () => {
    const res = await upload(
      staff,
      orgId,
      multipart({ type: 'charter' }, [
        { field: 'file', name: '../../章程 final.pdf', type: 'application/pdf', data: PDF },
      ]),
    );
    expect(res.statusCode, res.body).toBe(201);
    const doc = res.json();
    expect(doc).toMatchObject({
      type: 'charter',
      contentType: 'application/pdf',
      size: PDF.length,
      fileName: '章程 final.pdf',
    });
    const stored = readdirSync(path.join(t.config.dataDir, 'documents'));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatch(/^[0-9a-f]{48}$/);
    expect(readFileSync(path.join(t.config.dataDir, 'documents', stored[0]!)).equals(PDF)).toBe(true);
    const { createHash } = await import('node:crypto');
    expect(doc.sha256).toBe(createHash('sha256').update(PDF).digest('hex'));

    const list = (await staff.get(`/api/organizations/${orgId}/documents`)).json();
    expect(list.items.map((d: { id: number }) => d.id)).toEqual([doc.id]);
    const file = await staff.get(`/api/organizations/${orgId}/documents/${doc.id}`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.headers['content-disposition']).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    expect(file.rawPayload.equals(PDF)).toBe(true);
    const audit = await t.db.kysely
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'document.upload')
      .where('entity_id', '=', String(doc.id))
      .executeTakeFirstOrThrow();
    expect(audit.details).toContain(doc.sha256);
  });

  it('judges the type by content: HTML named .pdf is refused 415 and nothing is kept', async () => {
    const before = readdirSync(path.join(t.config.dataDir, 'documents')).length;
    const res = await upload(
      staff,
      orgId,
      multipart({ type: 'certificate' }, [{ field: 'file', name: 'cert.pdf', type: 'application/pdf', data: HTML }]),
    );
    expect([res.statusCode, res.json().code]).toEqual([415, 'unsupported_media_type']);
    const png = await upload(
      staff,
      orgId,
      multipart({ type: 'certificate' }, [{ field: 'file', name: 'scan.pdf', type: 'application/pdf', data: PNG }]),
    );
    expect(png.json()).toMatchObject({ contentType: 'image/png', fileName: 'scan.png' });
    expect(readdirSync(path.join(t.config.dataDir, 'documents')).length).toBe(before + 1);
  });

  it('names every missing or wrong field, and refuses JSON', async () => {
    const res = await upload(staff, orgId, multipart({ type: 'selfie' }, []));
    expect(res.statusCode).toBe(422);
    expect(
      res
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['file', 'type']);
    const json = await staff.post(`/api/organizations/${orgId}/documents`, { type: 'charter' });
    expect([json.statusCode, json.json().code]).toEqual([415, 'unsupported_media_type']);
  });

  it('takes files above the 1 MB JSON body limit up to QIAO_MAX_UPLOAD_MB', async () => {
    const large = Buffer.concat([PDF, Buffer.alloc(1536 * 1024, 0x20)]);
    const res = await upload(
      staff,
      orgId,
      multipart({ type: 'other' }, [{ field: 'file', name: 'large.pdf', type: 'application/pdf', data: large }]),
    );
    expect([res.statusCode, res.json().size]).toEqual([201, large.length]);
  });

  it('refuses files over the limit, a second file, and too many fields, keeping nothing', async () => {
    const before = readdirSync(path.join(t.config.dataDir, 'documents')).length;
    const big = Buffer.concat([PDF, Buffer.alloc(2 * 1024 * 1024 + 10, 0x20)]);
    const res = await upload(
      staff,
      orgId,
      multipart({ type: 'charter' }, [{ field: 'file', name: 'big.pdf', type: 'application/pdf', data: big }]),
    );
    expect([res.statusCode, res.json().code]).toEqual([413, 'payload_too_large']);
    const two = await upload(
      staff,
      orgId,
      multipart({ type: 'charter' }, [
        { field: 'file', name: 'a.pdf', type: 'application/pdf', data: PDF },
        { field: 'file', name: 'b.pdf', type: 'application/pdf', data: PDF },
      ]),
    );
    expect(two.statusCode).toBe(413);
    const fields = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`f${i}`, 'x']));
    const many = await upload(staff, orgId, multipart(fields, []));
    expect(many.statusCode).toBe(413);
    expect(readdirSync(path.join(t.config.dataDir, 'documents')).length).toBe(before);
  });

  it('serves documents only in scope: another subdistrict gets 404 as for a missing one', async () => {
    const doc = (
      await upload(
        staff,
        orgId,
        multipart({ type: 'other' }, [{ field: 'file', name: 'x.png', type: 'image/png', data: PNG }]),
      )
    ).json();
    const elsewhere = await t.userAgent('center_staff', (await t.subdistrict((await t.district()).id)).id);
    const out = await elsewhere.get(`/api/organizations/${orgId}/documents/${doc.id}`);
    const missing = await elsewhere.get(`/api/organizations/${orgId}/documents/987654`);
    expect([out.statusCode, out.json().code]).toEqual([404, 'not_found']);
    expect([missing.statusCode, missing.json().code]).toEqual([404, 'not_found']);
    expect((await elsewhere.get(`/api/organizations/${orgId}/documents`)).statusCode).toBe(404);
    const up = await upload(
      elsewhere,
      orgId,
      multipart({ type: 'other' }, [{ field: 'file', name: 'x.png', type: 'image/png', data: PNG }]),
    );
    expect(up.statusCode).toBe(404);
    // A document id of another organization does not open through this one.
    const other = (
      await staff.post('/api/organizations', { kind: 'community_org', name: '另一个队', jurisdictionId: subId })
    ).json();
    expect((await staff.get(`/api/organizations/${other.id}/documents/${doc.id}`)).statusCode).toBe(404);
  });

  it('lets an applicant attach documents to its own application’s organization only', async () => {
    const body = {
      organization: { kind: 'community_org', name: '申请中的队', jurisdictionId: subId },
      personInCharge: { name: '孙丽', idNumber: '11010519491231002X', phone: '13800138000' },
      account: { username: 'doc.applicant', password: PASSWORD, displayName: '孙丽' },
    };
    const application = (await t.agent().post('/api/public/applications', body)).json();
    const applicant = t.agent();
    await applicant.login('doc.applicant', PASSWORD);
    const own = application.organization.id;
    const res = await upload(
      applicant,
      own,
      multipart({ type: 'commitment_letter' }, [
        { field: 'file', name: '承诺书.pdf', type: 'application/pdf', data: PDF },
      ]),
    );
    expect(res.statusCode, res.body).toBe(201);
    expect((await applicant.get(`/api/organizations/${own}/documents`)).json().items).toHaveLength(1);
    expect((await staff.get(`/api/organizations/${own}/documents`)).json().items).toHaveLength(1);
    const notOwn = await upload(
      applicant,
      orgId,
      multipart({ type: 'other' }, [{ field: 'file', name: 'x.pdf', type: 'application/pdf', data: PDF }]),
    );
    expect(notOwn.statusCode).toBe(404);
    expect((await applicant.get(`/api/organizations/${orgId}/documents`)).statusCode).toBe(404);
    expect(existsSync(path.join(t.config.dataDir, 'documents'))).toBe(true);
  });
});
