import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ACTIVITY_PHOTOS } from '@qiao/contracts';
import { jpegLike, pngImage } from '../../testing/images.js';
import { multipart } from '../../testing/multipart.js';
import { buildTestApp, PASSWORD, type Agent, type TestApp } from '../../testing/test-app.js';
import { photoType } from './activity-photos.service.js';

const PNG = pngImage(40, 30);
const JPEG = jpegLike(2048);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n');

let t: TestApp;
let subId: number;
let staff: Agent & { username: string };
let officer: Agent;
let orgId: number;
let activityId: number;

beforeAll(async () => {
  t = await buildTestApp({ QIAO_MAX_UPLOAD_MB: '1' });
  subId = (await t.subdistrict((await t.district()).id)).id;
  staff = await t.userAgent('center_staff', subId);
  orgId = (
    await staff.post('/api/organizations', { kind: 'community_org', name: '照片测试队', jurisdictionId: subId })
  ).json().id;
  await t.admin.post('/api/users', {
    username: 'photo.officer',
    password: PASSWORD,
    displayName: '机构专员',
    role: 'ngo_officer',
    jurisdictionId: subId,
    organizationId: orgId,
  });
  officer = t.agent();
  await officer.login('photo.officer', PASSWORD);
  activityId = (
    await officer.post(`/api/organizations/${orgId}/activities`, { occurredOn: '2026-03-01', title: '重阳节义诊' })
  ).json().id;
});
afterAll(() => t.close());

const url = (org = orgId, activity = activityId) => `/api/organizations/${org}/activities/${activity}/photos`;

async function send(agent: Agent, target: string, files: { name: string; data: Buffer; field?: string }[]) {
  const body = multipart(
    {},
    files.map((f) => ({ field: f.field ?? 'file', name: f.name, type: 'image/jpeg', data: f.data })),
  );
  return t.app.inject({
    method: 'POST',
    url: target,
    headers: { cookie: agent.cookie!, 'x-csrf-token': agent.csrfToken!, 'content-type': body.contentType },
    payload: body.payload,
  });
}

const stored = () => readdirSync(path.join(t.config.dataDir, 'activity-photos')).sort();
const keys = async () =>
  (await t.db.kysely.selectFrom('activity_photos').select('storage_key').execute()).map((r) => r.storage_key).sort();

describe('photo types by content', () => {
  it('takes JPEG and PNG (with its size from the header), nothing else', () => {
    expect(photoType(JPEG.subarray(0, 32))).toEqual({ type: 'image/jpeg', width: null, height: null });
    expect(photoType(PNG.subarray(0, 32))).toEqual({ type: 'image/png', width: 40, height: 30 });
    expect(photoType(PDF)).toBeNull();
    expect(photoType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(photoType(Buffer.from('GIF89a......'))).toBeNull();
    // A PNG signature without its header chunk is not a PNG.
    expect(photoType(PNG.subarray(0, 12))).toBeNull();
  });
});

describe('activity photos', () => {
  it('lets the officer add photos to its own activity; they are stored outside the web root and listed with it', async () => {
    const png = await send(officer, url(), [{ name: '../../义诊 现场.png', data: PNG }]);
    expect(png.statusCode, png.body).toBe(201);
    expect(png.json()).toMatchObject({
      activityId,
      contentType: 'image/png',
      fileName: '义诊 现场.png',
      width: 40,
      height: 30,
      size: PNG.length,
      uploadedBy: 'photo.officer',
    });
    // A JPEG sent with a misleading name is named by what it is.
    const jpg = await send(officer, url(), [{ name: 'scan.pdf', data: JPEG }]);
    expect(jpg.json()).toMatchObject({ contentType: 'image/jpeg', fileName: 'scan.jpg' });
    const files = stored();
    expect(files).toHaveLength(2);
    for (const f of files) expect(f).toMatch(/^[0-9a-f]{48}$/);
    expect(files).toEqual(await keys());
    const list = (await staff.get(`/api/organizations/${orgId}/activities`)).json().items;
    expect(list[0].photos.map((p: { id: number }) => p.id)).toEqual([png.json().id, jpg.json().id]);
    // Served inline with its type, never sniffed, never cached.
    const image = await staff.get(`${url()}/${png.json().id}`);
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.headers['x-content-type-options']).toBe('nosniff');
    expect(image.headers['cache-control']).toBe('private, no-store');
    expect(image.headers['content-disposition']).toMatch(/^inline; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    expect(image.rawPayload.equals(PNG)).toBe(true);
    const audit = await t.db.kysely
      .selectFrom('audit_events')
      .select(['details', 'actor_name'])
      .where('action', '=', 'activity.photo_add')
      .where('entity_id', '=', String(png.json().id))
      .executeTakeFirstOrThrow();
    expect(audit.details).toContain(createHash('sha256').update(PNG).digest('hex'));
    expect(audit.actor_name).toBe('photo.officer');
  });

  it('keeps recordActivity’s JSON body working, and new activities start with no photos', async () => {
    const res = await staff.post(`/api/organizations/${orgId}/activities`, {
      occurredOn: '2026-03-02',
      title: '敬老院探访',
      participants: 8,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ title: '敬老院探访', participants: 8, photos: [] });
  });

  it('refuses what is not a JPEG or PNG, empty, missing or too large, keeping nothing', async () => {
    const before = stored();
    const cases: [Buffer | null, number, string][] = [
      [PDF, 415, 'unsupported_media_type'],
      [
        Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        415,
        'unsupported_media_type',
      ],
      [Buffer.from('<html><script>alert(1)</script>'), 415, 'unsupported_media_type'],
      [PNG.subarray(0, 10), 415, 'unsupported_media_type'],
      [Buffer.alloc(0), 422, 'validation_failed'],
      [Buffer.concat([JPEG, Buffer.alloc(1024 * 1024, 0x22)]), 413, 'payload_too_large'],
    ];
    for (const [data, status, code] of cases) {
      const res = await send(officer, url(), data ? [{ name: 'x.jpg', data }] : []);
      expect([res.statusCode, res.json().code], res.body).toEqual([status, code]);
    }
    const none = await send(officer, url(), []);
    expect(none.json().errors).toEqual([expect.objectContaining({ field: 'file', code: 'required' })]);
    const wrongField = await send(officer, url(), [{ name: 'x.png', data: PNG, field: 'photo' }]);
    expect(wrongField.statusCode).toBe(422);
    const json = await officer.post(url(), { file: 'x' });
    expect([json.statusCode, json.json().code]).toEqual([415, 'unsupported_media_type']);
    expect(stored()).toEqual(before);
  });

  it(`keeps at most ${MAX_ACTIVITY_PHOTOS} photos per activity`, async () => {
    const activity = (
      await staff.post(`/api/organizations/${orgId}/activities`, { occurredOn: '2026-03-03', title: '多图活动' })
    ).json().id;
    for (let i = 0; i < MAX_ACTIVITY_PHOTOS; i++)
      expect((await send(staff, url(orgId, activity), [{ name: `${i}.png`, data: PNG }])).statusCode).toBe(201);
    const before = stored();
    const over = await send(staff, url(orgId, activity), [{ name: 'x.png', data: PNG }]);
    expect([over.statusCode, over.json().errors[0].code]).toEqual([422, 'too_many']);
    expect(stored()).toEqual(before);
  });

  it('lets staff delete a photo, audited; the officer may not', async () => {
    const photo = (await send(officer, url(), [{ name: 'wrong.png', data: PNG }])).json();
    const denied = await officer.request('DELETE', `${url()}/${photo.id}`);
    expect(denied.statusCode).toBe(403);
    const res = await staff.request('DELETE', `${url()}/${photo.id}`);
    expect(res.statusCode, res.body).toBe(204);
    expect((await staff.get(`${url()}/${photo.id}`)).statusCode).toBe(404);
    expect(stored()).toEqual(await keys());
    const audit = await t.db.kysely
      .selectFrom('audit_events')
      .select(['details', 'actor_name'])
      .where('action', '=', 'activity.photo_delete')
      .where('entity_id', '=', String(photo.id))
      .executeTakeFirstOrThrow();
    expect(audit.actor_name).toBe(staff.username);
    expect(audit.details).toContain('wrong.png');
    expect((await staff.request('DELETE', `${url()}/${photo.id}`)).statusCode).toBe(404);
  });

  it('serves and takes photos only in scope: another subdistrict, another organization’s activity → 404', async () => {
    const photo = (await send(officer, url(), [{ name: 'p.png', data: PNG }])).json();
    const elsewhere = await t.userAgent('center_staff', (await t.subdistrict((await t.district()).id)).id);
    const out = await elsewhere.get(`${url()}/${photo.id}`);
    const missing = await elsewhere.get(`${url()}/987654`);
    expect([out.statusCode, out.json().code]).toEqual([404, 'not_found']);
    expect(out.json().detail).toBe((await elsewhere.get(`${url(987654)}/${photo.id}`)).json().detail);
    expect(missing.statusCode).toBe(404);
    expect((await send(elsewhere, url(), [{ name: 'x.png', data: PNG }])).statusCode).toBe(404);
    expect((await elsewhere.request('DELETE', `${url()}/${photo.id}`)).statusCode).toBe(404);
    // An activity id of another organization does not open through this one, nor its photos.
    const other = (
      await staff.post('/api/organizations', { kind: 'community_org', name: '另一支队', jurisdictionId: subId })
    ).json();
    expect((await staff.get(`${url(other.id)}/${photo.id}`)).statusCode).toBe(404);
    expect((await send(staff, url(other.id), [{ name: 'x.png', data: PNG }])).statusCode).toBe(404);
    expect((await send(officer, url(other.id), [{ name: 'x.png', data: PNG }])).statusCode).toBe(404);
    expect(readFileSync(path.join(t.config.dataDir, 'activity-photos', stored()[0]!)).length).toBeGreaterThan(0);
  });
});
