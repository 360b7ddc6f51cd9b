import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegistryImportJob } from '@qiao/contracts';
import { nowIso } from '../../db/database.js';
import { upload } from '../../testing/multipart.js';
import { buildTestApp, type Agent, type TestApp } from '../../testing/test-app.js';
import { failInterruptedImports, INTERRUPTED } from './registry-import-jobs.service.js';

const CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** A valid civil-affairs USCC issued in `region`, numbered `n`. */
function uscc(region: string, n: number): string {
  const body = `51${region}${String(n).padStart(9, '0')}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CHARS.indexOf(body[i]!) * (3 ** i % 31);
  return body + CHARS[(31 - (sum % 31)) % 31];
}

const HEADER = 'uscc,name,kind,legal_representative,registered_on,status,authority,address,jurisdiction_code';
const csv = (rows: string[]) => [HEADER, ...rows].join('\r\n') + '\r\n';

let t: TestApp;
let d: { id: number; code: string };
let s: { id: number; code: string };
let districtOfficer: Agent;
let colleague: Agent;
let staff: Agent;
let otherOfficer: Agent;

beforeAll(async () => {
  t = await buildTestApp();
  d = await t.district('甲区');
  s = await t.subdistrict(d.id, '甲街道');
  const d2 = await t.district('乙区');
  districtOfficer = await t.userAgent('district_officer', d.id);
  colleague = await t.userAgent('district_officer', d.id);
  staff = await t.userAgent('center_staff', s.id);
  otherOfficer = await t.userAgent('district_officer', d2.id);
});
afterAll(() => t.close());

/** Follows a job as the web page does, until it is no longer running. */
async function settled(agent: Agent, id: number): Promise<RegistryImportJob> {
  for (;;) {
    const res = await agent.get(`/api/registry/import-jobs/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    const job = res.json<RegistryImportJob>();
    if (job.status !== 'running') return job;
    await new Promise((r) => setTimeout(r, 5));
  }
}

const spooled = async () => readdir(path.join(t.config.dataDir, 'imports')).catch(() => [] as string[]);

describe('importRegistry in the background', () => {
  it('answers 202 with a running job, then reports the same summary and rejected rows as the 200 answer', async () => {
    // More rows than one chunk (2,000), so progress is written while it runs; two rows rejected.
    const rows = Array.from(
      { length: 2_300 },
      (_, i) =>
        `${uscc(d.code, 10_000 + i)},背景导入${i}号协会,社会团体,张${i},2020-03-05,正常,甲区民政局,某路${i}号,${s.code}`,
    );
    rows.splice(5, 0, `${uscc(d.code, 5)},,团体,,2020-02-30,正常,,,`);
    rows.push('51310101MJ000000XX,名字,社会团体,李四,2020-01-01,存在,,,');
    const res = await upload(t.admin, '/api/registry/imports?background=true', csv(rows), 'bureau.csv');
    expect(res.statusCode, res.body).toBe(202);
    const started = res.json<RegistryImportJob>();
    expect(started).toMatchObject({ status: 'running', filename: 'bureau.csv', startedBy: 'admin', result: null });
    expect(res.headers.location).toBe(`/api/registry/import-jobs/${started.id}`);

    const job = await settled(t.admin, started.id);
    expect(job.status, job.error ?? '').toBe('done');
    expect(job).toMatchObject({
      estimatedRows: 2_302,
      rows: 2_302,
      created: 2_300,
      updated: 0,
      unchanged: 0,
      rejectedCount: 2,
      error: null,
    });
    expect(job.finishedAt).not.toBeNull();
    expect(job.result).toMatchObject({ created: 2_300, updated: 0, unchanged: 0, rejectedCount: 2, rows: 2_302 });
    expect(job.result!.rejected).toEqual([
      {
        line: 7,
        errors: [
          { field: 'name', code: 'required' },
          { field: 'kind', code: 'invalid_kind' },
          { field: 'registered_on', code: 'invalid_date' },
        ],
      },
      {
        line: 2_303,
        errors: [
          { field: 'uscc', code: 'invalid_uscc' },
          { field: 'status', code: 'invalid_status' },
        ],
      },
    ]);
    const count = await t.db.kysely
      .selectFrom('organizations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('name', 'like', '背景导入%')
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(2_300);

    // The same code ran: one import event, naming the job.
    const event = await t.db.kysely
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'registry.import')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(event.details!)).toMatchObject({
      jobId: started.id,
      counts: { created: 2_300, updated: 0, unchanged: 0, rejected: 2 },
    });
    // The spooled upload under QIAO_DATA_DIR/imports is gone once the job is done.
    expect(await spooled()).toEqual([]);

    // Re-importing in the background changes nothing.
    const again = await upload(t.admin, '/api/registry/imports?background=true', csv(rows), 'bureau.csv');
    expect(again.statusCode, again.body).toBe(202);
    const second = await settled(t.admin, again.json<RegistryImportJob>().id);
    expect(second).toMatchObject({ status: 'done', created: 0, updated: 0, unchanged: 2_300, rejectedCount: 2 });
  });

  it('keeps answering 200 with the summary without background, and refuses an unknown background value', async () => {
    const file = csv([`${uscc(d.code, 1)},前台导入协会,社会团体,王五,2020-03-05,正常,甲区民政局,某路1号,`]);
    const plain = await upload(t.admin, '/api/registry/imports?background=false', file);
    expect(plain.statusCode, plain.body).toBe(200);
    expect(plain.json()).toMatchObject({ created: 1, rows: 1 });
    const bad = await upload(t.admin, '/api/registry/imports?background=yes', file);
    expect(bad.statusCode).toBe(422);
    expect(bad.headers['content-type']).toContain('application/problem+json');
  });

  it('shows a failed job with each missing column when the file is not the bureau’s', async () => {
    const res = await upload(t.admin, '/api/registry/imports?background=true', 'foo,bar\r\n1,2\r\n', 'other.csv');
    expect(res.statusCode, res.body).toBe(202);
    const job = await settled(t.admin, res.json<RegistryImportJob>().id);
    expect(job.status).toBe('failed');
    expect(job.result).toBeNull();
    expect(job.error).toBeTruthy();
    expect(job.errorFields).toEqual(expect.arrayContaining([{ field: 'file.uscc', code: 'missing_column' }]));
    expect(job.finishedAt).not.toBeNull();
    expect(await spooled()).toEqual([]);
  });

  it('refuses a background import without a file part, before any job exists', async () => {
    const before = await t.db.kysely.selectFrom('registry_import_jobs').select('id').execute();
    const res = await t.admin.request('POST', '/api/registry/imports?background=true', { a: 1 } as never);
    expect(res.statusCode).toBe(415);
    const after = await t.db.kysely.selectFrom('registry_import_jobs').select('id').execute();
    expect(after.length).toBe(before.length);
  });

  it('lets the starter and those above follow a job; another district gets 404 like a missing job', async () => {
    const file = csv([`${uscc(d.code, 2)},街道导入协会,社会团体,赵六,2020-03-05,正常,甲区民政局,某路2号,${s.code}`]);
    const res = await upload(districtOfficer, '/api/registry/imports?background=true', file);
    expect(res.statusCode, res.body).toBe(202);
    const id = res.json<RegistryImportJob>().id;
    expect((await settled(districtOfficer, id)).status).toBe('done');
    expect((await colleague.get(`/api/registry/import-jobs/${id}`)).statusCode).toBe(200);
    expect((await t.admin.get(`/api/registry/import-jobs/${id}`)).statusCode).toBe(200);
    const other = await otherOfficer.get(`/api/registry/import-jobs/${id}`);
    const missing = await otherOfficer.get(`/api/registry/import-jobs/999999999`);
    expect(other.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(other.json().detail).toBe(missing.json().detail);

    // A job the city started is not the subdistrict's to see.
    const city = await upload(t.admin, '/api/registry/imports?background=true', file);
    const cityJob = city.json<RegistryImportJob>().id;
    await settled(t.admin, cityJob);
    expect((await districtOfficer.get(`/api/registry/import-jobs/${cityJob}`)).statusCode).toBe(404);
    // Without the import permission there is nothing to follow.
    expect((await staff.get(`/api/registry/import-jobs/${id}`)).statusCode).toBe(403);
  });

  it('marks jobs a process exit interrupted as failed when a process starts again', async () => {
    // What a process that died mid-import leaves: a row still running.
    const root = await t.db.kysely
      .selectFrom('jurisdictions')
      .select('path')
      .where('id', '=', t.rootId)
      .executeTakeFirstOrThrow();
    const row = await t.db.kysely
      .insertInto('registry_import_jobs')
      .values({
        actor_id: null,
        actor_name: 'admin',
        scope_path: root.path,
        filename: 'big.csv',
        bytes: 1_000_000,
        status: 'running',
        estimated_rows: 9_000,
        rows: 4_000,
        created: 4_000,
        updated: 0,
        unchanged: 0,
        rejected: 0,
        result: null,
        error: null,
        error_fields: null,
        started_at: nowIso(),
        finished_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(await failInterruptedImports(t.db.kysely)).toBe(1);
    const job = (await t.admin.get(`/api/registry/import-jobs/${row.id}`)).json<RegistryImportJob>();
    expect(job).toMatchObject({ status: 'failed', error: INTERRUPTED, rows: 4_000, created: 4_000 });
    expect(job.finishedAt).not.toBeNull();
    // Finished jobs are left as they are.
    expect(await failInterruptedImports(t.db.kysely)).toBe(0);
  });
});
