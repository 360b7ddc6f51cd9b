import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upload } from '../../testing/multipart.js';
import { buildTestApp, type Agent, type TestApp } from '../../testing/test-app.js';
import { statementSizes } from './registry-sync.service.js';
import { deferNamePostings, resumeNamePostings } from '../organizations/name-postings.js';

const CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** A valid civil-affairs USCC issued in `region`, numbered `n`. */
function uscc(region: string, n: number): string {
  const body = `51${region}${String(n).padStart(9, '0')}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CHARS.indexOf(body[i]!) * (3 ** i % 31);
  return body + CHARS[(31 - (sum % 31)) % 31];
}

const HEADER = 'uscc,name,kind,legal_representative,registered_on,status,authority,address,jurisdiction_code';
const csv = (...rows: string[]) => [HEADER, ...rows].join('\r\n') + '\r\n';

let t: TestApp;
let d: { id: number; code: string };
let s: { id: number; code: string };
let d2: { id: number; code: string };
let officer2: Agent;

async function auditEvents(action: string) {
  return t.db.kysely.selectFrom('audit_events').selectAll().where('action', '=', action).orderBy('id').execute();
}
async function orgByUscc(code: string) {
  return t.db.kysely.selectFrom('organizations').selectAll().where('uscc', '=', code).executeTakeFirst();
}

beforeAll(async () => {
  t = await buildTestApp();
  d = await t.district('甲区');
  s = await t.subdistrict(d.id, '甲街道');
  d2 = await t.district('乙区');
  officer2 = await t.userAgent('district_officer', d2.id);
});
afterAll(() => t.close());

const A = () => uscc(d.code, 1);
const B = () => uscc('999999', 2);
const C = () => uscc(d.code, 3);

describe('statementSizes', () => {
  it('splits rows into full statements and powers of two, so a table has few statement texts', () => {
    expect(statementSizes(0, 500)).toEqual([]);
    expect(statementSizes(1_000, 500)).toEqual([500, 500]);
    expect(statementSizes(1_499, 500)).toEqual([500, 500, 256, 128, 64, 32, 16, 2, 1]);
    const texts = new Set<number>();
    for (let n = 0; n <= 2_000; n++) {
      const sizes = statementSizes(n, 500);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(n);
      sizes.forEach((k) => texts.add(k));
    }
    expect(texts.size).toBeLessThanOrEqual(10);
  });
});

describe('importRegistry', () => {
  it('imports a UTF-8 CSV with BOM, places rows by code or USCC region, and lists every invalid field by line', async () => {
    const file =
      '\uFEFF' +
      csv(
        `${A()},甲区助老协会,社会团体,张三,2020-03-05,正常,甲区民政局,"某路1号",`,
        `${B()},城市基金会,foundation,李四,2019/7/1,active,市民政局,某路2号,`,
        `${C()},"甲街道\u3000社工服务中心",民办非企业单位,王五,2021年1月2日,停止活动,甲区民政局,某路3号,${s.code}`,
        `51310101MJ000000XX,,团体,,2020-02-30,存在,,,`,
      );
    const before = (await auditEvents('registry.import')).length;
    const res = await upload(t.admin, '/api/registry/imports', file);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ created: 3, updated: 0, unchanged: 0, rows: 4 });
    expect(body.rejected).toEqual([
      {
        line: 5,
        errors: [
          { field: 'uscc', code: 'invalid_uscc' },
          { field: 'name', code: 'required' },
          { field: 'kind', code: 'invalid_kind' },
          { field: 'registered_on', code: 'invalid_date' },
          { field: 'status', code: 'invalid_status' },
        ],
      },
    ]);
    const a = (await orgByUscc(A()))!;
    expect(a).toMatchObject({ jurisdiction_id: d.id, status: 'active', kind: 'social_group', pic_name: '张三' });
    expect(a.registered_on).toBe('2020-03-05');
    const b = (await orgByUscc(B()))!;
    expect(b.jurisdiction_id).toBe(t.rootId);
    expect(b.registered_on).toBe('2019-07-01');
    const c = (await orgByUscc(C()))!;
    expect(c).toMatchObject({ jurisdiction_id: s.id, status: 'suspended', kind: 'social_service_agency' });
    expect(c.name).toBe('甲街道 社工服务中心'); // NFKC: the ideographic space became a plain one
    expect(c.registered_on).toBe('2021-01-02');

    const versions = (await t.admin.get(`/api/organizations/${a.id}/versions`)).json().items;
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ version: 1, action: 'organization.create', actorName: 'admin' });

    const events = await auditEvents('registry.import');
    expect(events.length - before).toBe(1);
    const details = JSON.parse(events.at(-1)!.details!);
    expect(details.sha256).toBe(createHash('sha256').update(Buffer.from(file)).digest('hex'));
    expect(details.counts).toEqual({ created: 3, updated: 0, unchanged: 0, rejected: 1 });
    expect(details.rows).toBe(4);
    // No per-organization audit events: the import is one event.
    expect(await auditEvents('organization.create')).toHaveLength(0);
  });

  it('re-importing the same file changes nothing; a changed row becomes one new version', async () => {
    const same = csv(
      `${A()},甲区助老协会,社会团体,张三,2020-03-05,正常,甲区民政局,"某路1号",`,
      `${B()},城市基金会,foundation,李四,2019/7/1,active,市民政局,某路2号,`,
    );
    const versionCount = async () =>
      Number(
        (
          await t.db.kysely
            .selectFrom('organization_versions')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const versionsBefore = await versionCount();
    const again = await upload(t.admin, '/api/registry/imports', same);
    expect(again.json()).toMatchObject({ created: 0, updated: 0, unchanged: 2, rejected: [] });
    expect(await versionCount()).toBe(versionsBefore);
    const changed = csv(
      `${A()},甲区助老协会,社会团体,张三,2020-03-05,注销,甲区民政局,"某路1号",`,
      `${B()},城市基金会,foundation,李四,2019/7/1,active,市民政局,某路2号,`,
    );
    const res = await upload(t.admin, '/api/registry/imports', changed);
    expect(res.json()).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
    const a = (await orgByUscc(A()))!;
    expect(a).toMatchObject({ status: 'deregistered', version: 2 });
    const versions = (await t.admin.get(`/api/organizations/${a.id}/versions`)).json().items;
    expect(versions[0]).toMatchObject({
      version: 2,
      action: 'organization.update',
      changes: [{ field: 'status', before: 'active', after: 'deregistered' }],
    });
    // Put it back for the tests below.
    await upload(t.admin, '/api/registry/imports', same);
  });

  it('reads a GBK-encoded CSV', async () => {
    const text = csv(`${uscc(d.code, 10)},甲区慈善基金会,基金会,赵六,2018-01-01,正常,甲区民政局,某路10号,`);
    const res = await upload(t.admin, '/api/registry/imports', iconv.encode(text, 'gbk'), 'gbk.csv');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ created: 1, rejected: [] });
    expect((await orgByUscc(uscc(d.code, 10)))!).toMatchObject({ name: '甲区慈善基金会', kind: 'foundation' });
  });

  it('reads JSON lines, numbering each line as itself', async () => {
    const lines = [
      JSON.stringify({
        uscc: uscc(d.code, 20),
        name: '甲区志愿者协会',
        kind: 'social_group',
        legal_representative: '钱七',
        registered_on: '2022-05-06',
        status: 'active',
        authority: '甲区民政局',
        address: '某路20号',
      }),
      '{not json',
      '',
      JSON.stringify({ uscc: uscc(d.code, 21), name: '缺状态', kind: 'social_group' }),
    ].join('\n');
    const res = await upload(t.admin, '/api/registry/imports', lines, 'registry.jsonl');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      created: 1,
      rejected: [
        { line: 2, errors: [{ field: 'line', code: 'invalid_json' }] },
        { line: 4, errors: [{ field: 'status', code: 'required' }] },
      ],
    });
  });

  it('applies the same USCC twice in one file in order: created, then updated', async () => {
    const code = uscc(d.code, 30);
    const res = await upload(
      t.admin,
      '/api/registry/imports',
      csv(`${code},重复一,社会团体,,,正常,,,`, `${code},重复二,社会团体,,,正常,,,`),
    );
    expect(res.json()).toMatchObject({ created: 1, updated: 1, rejected: [] });
    expect((await orgByUscc(code))!).toMatchObject({ name: '重复二', version: 2 });
  });

  it('imports a file spanning several statements and transactions: every row, its version, its search postings', async () => {
    // 2,000 rows a transaction, 500 a statement: 4,321 rows cross both, leftovers included, with one
    // USCC repeated across a transaction boundary and one invalid row in between.
    const bulk = await t.district('丙区');
    const n = 4_321;
    const rows = Array.from(
      { length: n },
      (_, i) => `${uscc(bulk.code, 100_000 + i)},批量${i}号助老社,社会团体,,,正常,,,`,
    );
    rows[2_100] = `${uscc(bulk.code, 100_000 + 10)},批量改名号助老社,社会团体,,,正常,,,`;
    rows[3_000] = `BROKEN,坏行,社会团体,,,正常,,,`;
    const res = await upload(t.admin, '/api/registry/imports', csv(...rows));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      created: n - 2,
      updated: 1,
      unchanged: 0,
      rejectedCount: 1,
      rejected: [{ line: 3_002, errors: [{ field: 'uscc', code: 'invalid_uscc' }] }],
    });
    const created = await t.db.kysely
      .selectFrom('organizations')
      .select(['id', 'name', 'version'])
      .where('name', 'like', '批量%')
      .execute();
    expect(created).toHaveLength(n - 2);
    const ids = created.map((o) => o.id);
    const versions = await t.db.kysely
      .selectFrom('organization_versions')
      .select(['organization_id', 'version'])
      .where('organization_id', 'in', ids)
      .execute();
    expect(versions).toHaveLength(n - 1);
    expect(created.find((o) => o.name === '批量改名号助老社')).toMatchObject({ version: 2 });
    // The import wrote every new name's postings set-based (ADR 0014): none is left pending.
    expect(await t.db.kysely.selectFrom('organization_name_pending').select('organization_id').execute()).toEqual([]);
    const postings = await t.db.kysely
      .selectFrom('organization_name_bigrams')
      .select(['organization_id', 'bigram'])
      .where('organization_id', 'in', ids)
      .execute();
    const bigrams = (name: string) => new Set([...name].slice(1).map((c, i) => [...name][i]! + c)).size;
    expect(postings).toHaveLength(created.reduce((sum, o) => sum + bigrams(o.name), 0));
    const two = await t.admin.get(`/api/organizations?q=${encodeURIComponent('改名')}`);
    expect(two.json().items.map((o: { name: string }) => o.name)).toEqual(['批量改名号助老社']);
    const found = await t.admin.get(`/api/organizations?q=${encodeURIComponent('批量4320号')}`);
    expect(found.json().items.map((o: { name: string }) => o.name)).toEqual(['批量4320号助老社']);
    const again = await upload(t.admin, '/api/registry/imports', csv(...rows));
    // The repeated USCC's two rows differ, so each import applies both in order: two updates, the rest unchanged.
    expect(again.json()).toMatchObject({ created: 0, updated: 2, unchanged: n - 3, rejectedCount: 1 });
  });

  it('writes the postings an interrupted import left pending when the next one runs', async () => {
    const left = await t.db.kysely.transaction().execute(async (trx) => {
      await deferNamePostings(trx);
      const row = await trx
        .insertInto('organizations')
        .values({
          kind: 'social_group',
          name: '中断遗留助残会',
          uscc: uscc(d.code, 900_001),
          status: 'active',
          jurisdiction_id: s.id,
          jurisdiction_path: (await trx
            .selectFrom('jurisdictions')
            .select('path')
            .where('id', '=', s.id)
            .executeTakeFirstOrThrow())!.path,
          fields: '[]',
          party_branch_kind: 'none',
          contact_status: 'reachable',
          version: 1,
          created_at: new Date().toISOString(),
          updated_at: new Date().toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await resumeNamePostings(trx);
      return row.id;
    });
    const pending = () => t.db.kysely.selectFrom('organization_name_pending').select('organization_id').execute();
    expect(await pending()).toEqual([{ organization_id: left }]);
    // Found while pending, by two characters too.
    const found = await t.admin.get(`/api/organizations?jurisdictionId=${s.id}&q=${encodeURIComponent('助残')}`);
    expect(found.json().items.map((o: { name: string }) => o.name)).toEqual(['中断遗留助残会']);
    const res = await upload(
      t.admin,
      '/api/registry/imports',
      csv(`${uscc(d.code, 900_002)},续导协会,社会团体,,,正常,,,`),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(await pending()).toEqual([]);
    const written = await t.db.kysely
      .selectFrom('organization_name_bigrams')
      .select('bigram')
      .where('organization_id', '=', left)
      .orderBy('bigram')
      .execute();
    expect(written.map((r) => r.bigram)).toEqual(['中断', '助残', '残会', '断遗', '留助', '遗留'].sort());
  });

  it('rejects rows outside the importer’s scope, and places the rest', async () => {
    const res = await upload(
      officer2,
      '/api/registry/imports',
      csv(
        `${uscc(d2.code, 1)},乙区协会,社会团体,孙八,,正常,乙区民政局,,`,
        `${uscc(d2.code, 2)},乙区放到甲街道,社会团体,,,正常,,,${s.code}`,
        `${A()},甲区助老协会改名,社会团体,张三,,正常,,,`,
        `${uscc('999998', 5)},无区码,社会团体,,,正常,,,`,
      ),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      created: 1,
      rejected: [
        { line: 3, errors: [{ field: 'jurisdiction_code', code: 'out_of_scope' }] },
        { line: 4, errors: [{ field: 'uscc', code: 'out_of_scope' }] },
        { line: 5, errors: [{ field: 'jurisdiction_code', code: 'out_of_scope' }] },
      ],
    });
    expect((await orgByUscc(uscc(d2.code, 1)))!.jurisdiction_id).toBe(d2.id);
    expect((await orgByUscc(A()))!.name).toBe('甲区助老协会');
  });

  it('answers 422 naming missing columns, 415 without multipart, 400 without the file field', async () => {
    const res = await upload(t.admin, '/api/registry/imports', 'uscc,name\r\n1,2\r\n');
    expect(res.statusCode).toBe(422);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain('file.status');
    expect((await t.admin.post('/api/registry/imports', { file: 'x' })).statusCode).toBe(415);
    const { multipartFile } = await import('../../testing/multipart.js');
    const wrong = multipartFile(csv(), 'x.csv', 'other');
    expect(
      (await t.admin.request('POST', '/api/registry/imports', wrong.payload as never, wrong.headers)).statusCode,
    ).toBe(400);
  });

  it('refuses roles without registry:import', async () => {
    const staff = await t.userAgent('center_staff', s.id);
    expect((await upload(staff, '/api/registry/imports', csv())).statusCode).toBe(403);
  });
});

describe('an organization waiting at district level', () => {
  it('is handled by the registry services and placed in a subdistrict with assignOrganizationJurisdiction', async () => {
    const a = (await orgByUscc(A()))!;
    expect((await t.admin.get(`/api/organizations/${a.id}`)).statusCode).toBe(200);
    const list = (await t.admin.get(`/api/organizations?jurisdictionId=${d.id}&limit=200`)).json();
    expect(list.items.map((o: { id: number }) => o.id)).toContain(a.id);
    const patched = await t.admin.patch(`/api/organizations/${a.id}`, { membersCount: 12 });
    expect(patched.statusCode, patched.body).toBe(200);
    // Another district cannot see it, nor place it.
    expect((await officer2.post(`/api/organizations/${a.id}/assign`, { jurisdictionId: s.id })).statusCode).toBe(404);
    // Only a subdistrict.
    expect((await t.admin.post(`/api/organizations/${a.id}/assign`, { jurisdictionId: d.id })).statusCode).toBe(422);
    const res = await t.admin.post(`/api/organizations/${a.id}/assign`, { jurisdictionId: s.id });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().jurisdictionId).toBe(s.id);
    const versions = (await t.admin.get(`/api/organizations/${a.id}/versions`)).json().items;
    expect(versions[0].changes).toEqual([{ field: 'jurisdictionId', before: d.id, after: s.id }]);
    // A later import without jurisdiction_code leaves it where it was placed.
    await upload(
      t.admin,
      '/api/registry/imports',
      csv(`${A()},甲区助老协会,社会团体,张三,2020-03-05,正常,甲区民政局,"某路1号",`),
    );
    expect((await orgByUscc(A()))!.jurisdiction_id).toBe(s.id);
  });
});

describe('reconcileRegistry', () => {
  it('lists what is only in the file, only in Qiao, and which fields differ, writing only its audit event', async () => {
    const count = async () =>
      Number(
        (
          await t.db.kysely
            .selectFrom('organizations')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const file = csv(
      `${A()},甲区助老协会（新名）,社会团体,张三,2020-03-05,正常,甲区民政局,"某路1号",`,
      `${uscc(d.code, 99)},文件里才有,社会团体,,,正常,,,`,
    );
    const res = await upload(officer2, '/api/registry/reconciliations', file);
    // The other district sees none of district 甲's organizations, and A's row is not theirs.
    expect(res.json().differing).toEqual([]);
    const own = await upload(t.admin, '/api/registry/reconciliations', file);
    expect(own.statusCode, own.body).toBe(200);
    const body = own.json();
    const a = (await orgByUscc(A()))!;
    expect(body.differing).toEqual([
      { uscc: A(), id: a.id, fields: [{ field: 'name', file: '甲区助老协会(新名)', qiao: '甲区助老协会' }] },
    ]);
    expect(body.onlyInFile).toEqual([{ uscc: uscc(d.code, 99), name: '文件里才有' }]);
    const onlyInQiao = body.onlyInQiao.map((o: { uscc: string }) => o.uscc);
    expect(onlyInQiao).toContain(B());
    expect(onlyInQiao).toContain(C());
    expect(onlyInQiao).not.toContain(A());
    expect(await count()).toBe(before);
    expect((await auditEvents('registry.reconcile')).length).toBe(2);
  });
});

describe('exports', () => {
  let orgId: number;
  beforeAll(async () => {
    const res = await t.admin.post('/api/organizations', {
      kind: 'community_org',
      name: '=HYPERLINK("http://evil")',
      jurisdictionId: s.id,
      address: '@SUM(1+1)',
      personInCharge: { name: '负责人', idNumber: '11010519491231002X', phone: '13800138000' },
    });
    expect(res.statusCode, res.body).toBe(201);
    orgId = res.json().id;
  });

  it('is not taken for /organizations/:id', async () => {
    const res = await t.admin.get('/api/organizations/export');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
  });

  it('exports CSV with BOM, masked personal data, neutralized cells and one audit event', async () => {
    const before = (await auditEvents('organization.export')).length;
    const res = await t.admin.get(`/api/organizations/export?format=csv&kind=community_org&jurisdictionId=${s.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const text = res.body;
    expect(text).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(text).toContain(`'@SUM(1+1)`);
    expect(text).toContain('1101**********002X');
    expect(text).toContain('138****8000');
    expect(text).not.toContain('11010519491231002X');
    const events = await auditEvents('organization.export');
    expect(events.length - before).toBe(1);
    const details = JSON.parse(events.at(-1)!.details!);
    expect(details).toMatchObject({
      rows: 1,
      revealed: false,
      filter: { kind: 'community_org', jurisdictionId: s.id },
    });
  });

  it('reveals personal data only with organization:reveal and a reason, and audits the reveal', async () => {
    expect((await t.admin.get('/api/organizations/export?reveal=true')).statusCode).toBe(422);
    const evaluator = await t.userAgent('evaluator', d.id);
    expect((await evaluator.get('/api/organizations/export?reveal=true&reason=核查')).statusCode).toBe(403);
    const reveals = (await auditEvents('organization.reveal')).length;
    const res = await t.admin.get(
      `/api/organizations/export?kind=community_org&jurisdictionId=${s.id}&reveal=true&reason=${encodeURIComponent('年检核查')}`,
    );
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('11010519491231002X');
    expect(res.body).toContain('13800138000');
    const events = await auditEvents('organization.reveal');
    expect(events.length - reveals).toBe(1);
    expect(JSON.parse(events.at(-1)!.details!)).toMatchObject({ reason: '年检核查', rows: 1 });
  });

  it('exports XLSX that exceljs reads back', async () => {
    const res = await t.admin.get(`/api/organizations/export?format=xlsx&jurisdictionId=${s.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 3)).toEqual(['uscc', 'name', 'kind']);
    const names: unknown[] = [];
    sheet.eachRow((row, n) => {
      if (n > 1) names.push(row.getCell(2).value);
    });
    expect(names).toContain(`'=HYPERLINK("http://evil")`);
    const idCol = header.indexOf('person_in_charge_id_number') + 1;
    const row = sheet.getRows(2, sheet.rowCount - 1)!.find((r) => r.getCell(2).value === `'=HYPERLINK("http://evil")`)!;
    expect(row.getCell(idCol).value).toBe('1101**********002X');
  });

  it('exports the filings in the bureau’s layout, within scope', async () => {
    const res = await t.admin.get('/api/registry/filings/export?format=csv');
    expect(res.statusCode).toBe(200);
    expect(res.body.slice(1).split('\n')[0]).toContain('备案编号,组织名称');
    expect(res.body).toContain(`${s.code}-`);
    const other = await officer2.get('/api/registry/filings/export');
    expect(other.body).not.toContain('HYPERLINK');
    expect((await officer2.get(`/api/registry/filings/export?jurisdictionId=${s.id}`)).statusCode).toBe(404);
    const xlsx = await t.admin.get('/api/registry/filings/export?format=xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.getRow(1).getCell(1).value).toBe('备案编号');
    expect(orgId).toBeGreaterThan(0);
  });
});

describe('the upload limit', () => {
  it('answers 413 past QIAO_IMPORT_MAX_MB and imports nothing', async () => {
    const small = await buildTestApp({ QIAO_IMPORT_MAX_MB: '1' });
    try {
      const row = `${uscc('310000', 1)},很长的名字,社会团体,,,正常,,${'某'.repeat(150)},\r\n`;
      const big = HEADER + '\r\n' + row.repeat(Math.ceil((1.2 * 1024 * 1024) / Buffer.byteLength(row)));
      const res = await upload(small.admin, '/api/registry/imports', big);
      expect(res.statusCode).toBe(413);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(
        await small.db.kysely.selectFrom('organizations').select('id').where('uscc', '=', uscc('310000', 1)).execute(),
      ).toHaveLength(0);
    } finally {
      await small.close();
    }
  });
});
