import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idNumber } from '../../testing/id-numbers.js';
import { multipart } from '../../testing/multipart.js';
import { buildTestApp, type Agent, type TestApp } from '../../testing/test-app.js';

let t: TestApp;
let staff: Agent & { username: string };
let officer: Agent & { username: string };
let staffB: Agent;
let volunteer: Agent;
let applicationId: number;

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR image')]);
const dir = () => path.join(t.config.dataDir, 'aid-evidence');
const stored = () => (existsSync(dir()) ? readdirSync(dir()).sort() : []);

function upload(agent: Agent, id: number, body: { payload: Buffer; contentType: string }) {
  return t.app.inject({
    method: 'POST',
    url: `/api/aid-applications/${id}/evidence`,
    headers: { cookie: agent.cookie!, 'x-csrf-token': agent.csrfToken!, 'content-type': body.contentType },
    payload: body.payload,
  });
}
const file = (data: Buffer, name = '诊断书.png') => ({ field: 'file', name, type: 'image/png', data });

beforeAll(async () => {
  t = await buildTestApp();
  const d = (await t.district()).id;
  const s = (await t.subdistrict(d)).id;
  const dB = (await t.district()).id;
  staff = await t.userAgent('center_staff', s);
  officer = await t.userAgent('district_officer', d);
  volunteer = await t.userAgent('volunteer', s);
  staffB = await t.userAgent('center_staff', (await t.subdistrict(dB)).id);
  const h = await staff.post('/api/households', {
    headName: '救助户',
    idNumber: idNumber(901),
    category: 'temporary_hardship',
    jurisdictionId: s,
  });
  await staff.post(`/api/households/${h.json().id}/verify`, {});
  const a = await staff.post('/api/aid-applications', {
    householdId: h.json().id,
    kind: 'medical',
    amountFen: 50_000,
    reason: '住院',
    evidence: ['诊断书'],
  });
  expect(a.statusCode, a.body).toBe(201);
  applicationId = a.json().id;
});
afterAll(() => t.close());

describe('aid evidence files', () => {
  it('stores a scan outside the web root, lists it, and serves it as an audited attachment to those in scope', async () => {
    const res = await upload(staff, applicationId, multipart({}, [file(PNG, '../../住院 诊断书.jpeg')]));
    expect(res.statusCode, res.body).toBe(201);
    const ev = res.json();
    expect(ev).toMatchObject({
      applicationId,
      contentType: 'image/png',
      size: PNG.length,
      // Typed by content: the name ends as what the file really is.
      fileName: '住院 诊断书.png',
      sha256: createHash('sha256').update(PNG).digest('hex'),
    });
    expect(stored()).toHaveLength(1);
    expect(stored()[0]).toMatch(/^[0-9a-f]{48}$/);
    expect(readFileSync(path.join(dir(), stored()[0]!)).equals(PNG)).toBe(true);

    for (const reader of [staff, officer]) {
      const list = (await reader.get(`/api/aid-applications/${applicationId}/evidence`)).json();
      expect(list.items.map((e: { id: number }) => e.id)).toEqual([ev.id]);
    }
    const got = await officer.get(`/api/aid-applications/${applicationId}/evidence/${ev.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/png');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.headers['cache-control']).toBe('private, no-store');
    expect(got.headers['content-disposition']).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    expect(got.rawPayload.equals(PNG)).toBe(true);
    const events = await t.db.kysely
      .selectFrom('audit_events')
      .select(['action', 'actor_name', 'details'])
      .where('action', 'in', ['aid.evidence_upload', 'aid.evidence_download'])
      .where('entity_id', '=', String(applicationId))
      .orderBy('id')
      .execute();
    expect(events.map((e) => [e.action, e.actor_name])).toEqual([
      ['aid.evidence_upload', staff.username],
      ['aid.evidence_download', officer.username],
    ]);
    expect(events[0]!.details).toContain(ev.sha256);
  });

  it('answers 404 like missing out of scope, 403 without aid permissions, and keeps nothing it refused', async () => {
    const before = stored();
    const pdf = multipart({}, [file(Buffer.from('%PDF-1.4\n'), 'x.pdf')]);
    const missing = await upload(staffB, 987654, pdf);
    const foreign = await upload(staffB, applicationId, pdf);
    expect([foreign.statusCode, foreign.json().code]).toEqual([missing.statusCode, missing.json().code]);
    expect(foreign.statusCode).toBe(404);
    const [evidence] = (await staff.get(`/api/aid-applications/${applicationId}/evidence`)).json().items;
    expect((await staffB.get(`/api/aid-applications/${applicationId}/evidence`)).statusCode).toBe(404);
    expect((await staffB.get(`/api/aid-applications/${applicationId}/evidence/${evidence.id}`)).statusCode).toBe(404);
    // The district officer reads aid but does not manage it; a volunteer does neither.
    expect((await upload(officer, applicationId, pdf)).statusCode).toBe(403);
    expect((await volunteer.get(`/api/aid-applications/${applicationId}/evidence`)).statusCode).toBe(403);
    // Another application's id with this file's id: not found.
    expect((await staff.get(`/api/aid-applications/${applicationId}/evidence/${evidence.id + 1000}`)).statusCode).toBe(
      404,
    );
    // Content decides: HTML named .pdf is 415; an empty file, a missing file and extra fields are 422 by field.
    const html = await upload(staff, applicationId, multipart({}, [file(Buffer.from('<html>'), 'a.pdf')]));
    expect([html.statusCode, html.json().code]).toEqual([415, 'unsupported_media_type']);
    const empty = await upload(staff, applicationId, multipart({}, [file(Buffer.alloc(0))]));
    expect(empty.json().errors).toEqual([expect.objectContaining({ field: 'file', code: 'empty' })]);
    const none = await upload(staff, applicationId, multipart({ note: 'x' }, []));
    expect(
      none
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['file', 'note']);
    const extra = await upload(staff, applicationId, multipart({ type: 'charter' }, [file(PNG)]));
    expect(extra.json().errors).toEqual([expect.objectContaining({ field: 'type', code: 'unrecognized' })]);
    // Over 10 MB: refused, and the partial file is gone.
    const big = await upload(
      staff,
      applicationId,
      multipart({}, [file(Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024, 0x20)]))]),
    );
    expect(big.statusCode).toBe(413);
    const json = await staff.post(`/api/aid-applications/${applicationId}/evidence`, { file: 'x' });
    expect(json.statusCode).toBe(415);
    expect(stored()).toEqual(before);
    const rows = await t.db.kysely.selectFrom('aid_evidence').select('storage_key').execute();
    expect(rows.map((r) => r.storage_key).sort()).toEqual(stored());
  });
});
