import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegistryImportJob } from '@qiao/contracts';
import { nowIso } from '../../db/database.js';
import { upload } from '../../testing/multipart.js';
import { buildTestApp, type Agent, type TestApp } from '../../testing/test-app.js';
import { failAbandonedImports, INTERRUPTED, STALE_MS } from './registry-import-jobs.service.js';

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
let colleague: Agent & { username: string };
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

/** What a process leaves in the table: a row still running, its heartbeat `ageMs` old (null: none). */
async function runningRow(ageMs: number | null, uploadFile: string | null = null) {
  const root = await t.db.kysely
    .selectFrom('jurisdictions')
    .select('path')
    .where('id', '=', t.rootId)
    .executeTakeFirstOrThrow();
  return t.db.kysely
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
      holder: 'other-host:1:abc',
      heartbeat_at: ageMs === null ? null : new Date(Date.now() - ageMs).toISOString(),
      upload_file: uploadFile,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

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

  it('fails only jobs whose process stopped renewing the heartbeat, and removes their uploads', async () => {
    const dir = path.join(t.config.dataDir, 'imports');
    await mkdir(path.join(dir, 'qiao-import-dead1'), { recursive: true });
    await writeFile(path.join(dir, 'qiao-import-dead1', 'upload'), 'uscc,name\r\n');
    const dead = await runningRow(STALE_MS + 60_000, 'qiao-import-dead1');
    const noHeartbeat = await runningRow(null);
    // Another live process's job: its heartbeat is fresh, so a starting process leaves it running.
    const alive = await runningRow(1_000);
    expect(await failAbandonedImports(t.db.kysely, dir)).toBe(2);
    for (const id of [dead.id, noHeartbeat.id]) {
      const job = (await t.admin.get(`/api/registry/import-jobs/${id}`)).json<RegistryImportJob>();
      expect(job).toMatchObject({ status: 'failed', error: INTERRUPTED, rows: 4_000, created: 4_000 });
      expect(job.finishedAt).not.toBeNull();
    }
    expect((await spooled()).includes('qiao-import-dead1')).toBe(false);
    expect((await t.admin.get(`/api/registry/import-jobs/${alive.id}`)).json().status).toBe('running');
    // A second pass (another process starting) finds nothing more to fail.
    expect(await failAbandonedImports(t.db.kysely, dir)).toBe(0);
    // The periodic job fails it once its heartbeat has gone stale too.
    await t.db.kysely
      .updateTable('registry_import_jobs')
      .set({ heartbeat_at: new Date(Date.now() - STALE_MS - 1).toISOString() })
      .where('id', '=', alive.id)
      .execute();
    const recovery = t.app.jobs.find((j) => j.name === 'registry-import-recovery')!;
    expect(await recovery.run()).toBe(1);
    expect((await t.admin.get(`/api/registry/import-jobs/${alive.id}`)).json().status).toBe('failed');
  });

  it('keeps the heartbeat of its own running job fresh while it runs', async () => {
    const rows = Array.from(
      { length: 2_100 },
      (_, i) => `${uscc(d.code, 50_000 + i)},心跳协会${i},社会团体,某人,2020-01-01,正常,甲区民政局,某路,${s.code}`,
    );
    const res = await upload(districtOfficer, '/api/registry/imports?background=true', csv(rows));
    const id = res.json<RegistryImportJob>().id;
    const row = await t.db.kysely
      .selectFrom('registry_import_jobs')
      .select(['holder', 'heartbeat_at', 'upload_file'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.holder).toMatch(/:\d+:[0-9a-f]{6}$/);
    expect(row.heartbeat_at).not.toBeNull();
    expect(row.upload_file).toMatch(/^qiao-import-/);
    // A process starting meanwhile leaves this live job alone.
    await failAbandonedImports(t.db.kysely, path.join(t.config.dataDir, 'imports'));
    expect((await settled(districtOfficer, id)).status).toBe('done');
    const done = await t.db.kysely
      .selectFrom('registry_import_jobs')
      .select(['holder', 'upload_file'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(done).toEqual({ holder: null, upload_file: null });
  });
});

describe('the list of background imports', () => {
  it('lists who, when, which file, counts and state, newest first, in pages, without the rejected rows', async () => {
    const ids: number[] = [];
    for (const n of [1, 2, 3]) {
      const file = csv([
        `${uscc(d.code, 60_000 + n)},列表协会${n},社会团体,某人,2020-01-01,正常,甲区民政局,某路,${s.code}`,
        `bad,列表坏行${n},社会团体,某人,2020-01-01,正常,甲区民政局,某路,${s.code}`,
      ]);
      const res = await upload(colleague, '/api/registry/imports?background=true', file, `第${n}批.csv`);
      ids.push(res.json<RegistryImportJob>().id);
      await settled(colleague, ids[ids.length - 1]!);
    }
    const first = (await colleague.get('/api/registry/import-jobs?limit=2')).json();
    expect(first.items.map((j: RegistryImportJob) => j.id)).toEqual([ids[2], ids[1]]);
    expect(first.items[0]).toMatchObject({
      status: 'done',
      filename: '第3批.csv',
      startedBy: colleague.username,
      created: 1,
      rejectedCount: 1,
    });
    expect(first.items[0]).not.toHaveProperty('result');
    expect(first.nextCursor).toBe(String(ids[1]));
    const second = (await colleague.get(`/api/registry/import-jobs?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items[0].id).toBe(ids[0]);
    // The job's own page still has the rejected rows.
    const job = (await colleague.get(`/api/registry/import-jobs/${ids[0]}`)).json<RegistryImportJob>();
    expect(job.result?.rejected).toEqual([{ line: 3, errors: [expect.objectContaining({ field: 'uscc' })] }]);
    // Filter by state.
    const failed = (await colleague.get('/api/registry/import-jobs?status=failed')).json();
    expect(failed.items.every((j: RegistryImportJob) => j.status === 'failed')).toBe(true);
  });

  it('shows a district its jobs and the ones of its subtree, never another district’s or the city’s', async () => {
    const mine = (await districtOfficer.get('/api/registry/import-jobs?limit=100')).json().items;
    expect(mine.length).toBeGreaterThan(0);
    const other = (await otherOfficer.get('/api/registry/import-jobs?limit=100')).json().items;
    const theirs = new Set(other.map((j: RegistryImportJob) => j.id));
    expect(mine.some((j: RegistryImportJob) => theirs.has(j.id))).toBe(false);
    const all = (await t.admin.get('/api/registry/import-jobs?limit=100')).json().items;
    const cityIds = new Set(all.map((j: RegistryImportJob) => j.id));
    expect(mine.every((j: RegistryImportJob) => cityIds.has(j.id))).toBe(true);
    const cityOnly = all.filter((j: RegistryImportJob) => j.startedBy === 'admin');
    expect(cityOnly.length).toBeGreaterThan(0);
    expect(mine.some((j: RegistryImportJob) => j.startedBy === 'admin')).toBe(false);
    expect((await staff.get('/api/registry/import-jobs')).statusCode).toBe(403);
  });
});

describe('retention of background imports', () => {
  it('removes finished jobs older than QIAO_IMPORT_JOB_RETENTION_DAYS and day-old orphan uploads, nothing else', async () => {
    const retention = t.app.jobs.find((j) => j.name === 'registry-import-retention')!;
    expect(t.config.importJobRetentionDays).toBe(90);
    const day = 24 * 60 * 60_000;
    const old = await runningRow(1_000);
    const recent = await runningRow(1_000);
    const live = await runningRow(1_000, 'qiao-import-live');
    const finish = (id: number, ago: number) =>
      t.db.kysely
        .updateTable('registry_import_jobs')
        .set({ status: 'done', finished_at: new Date(Date.now() - ago).toISOString(), holder: null })
        .where('id', '=', id)
        .execute();
    await finish(old.id, 91 * day);
    await finish(recent.id, 89 * day);
    // A running job is never removed, however old; nor is the upload it holds.
    await t.db.kysely
      .updateTable('registry_import_jobs')
      .set({ started_at: new Date(Date.now() - 400 * day).toISOString() })
      .where('id', '=', live.id)
      .execute();
    const dir = path.join(t.config.dataDir, 'imports');
    const aged = new Date(Date.now() - 2 * day);
    for (const name of ['qiao-import-live', 'qiao-import-orphan', 'qiao-import-fresh']) {
      await mkdir(path.join(dir, name), { recursive: true });
      await writeFile(path.join(dir, name, 'upload'), 'x');
      if (name !== 'qiao-import-fresh') await utimes(path.join(dir, name), aged, aged);
    }
    const result = (await retention.run()) as { jobs: number; files: number };
    expect(result).toEqual({ jobs: 1, files: 1 });
    const left = (await t.db.kysely.selectFrom('registry_import_jobs').select('id').execute()).map((r) => r.id);
    expect(left).not.toContain(old.id);
    expect(left).toEqual(expect.arrayContaining([recent.id, live.id]));
    expect((await spooled()).sort()).toEqual(expect.arrayContaining(['qiao-import-fresh', 'qiao-import-live']));
    expect(await spooled()).not.toContain('qiao-import-orphan');
  });
});
