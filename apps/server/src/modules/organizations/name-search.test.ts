import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../testing/test-app.js';
import { SEARCH_CANDIDATES } from './organizations.queries.js';
import { deferNamePostings, resumeNamePostings, writePendingNamePostings } from './name-postings.js';

let t: TestApp;
let districtId: number;
beforeAll(async () => {
  t = await buildTestApp();
  districtId = (await t.district()).id;
});
afterAll(() => t.close());

type Page = { items: { id: number; name: string; status: string }[]; nextCursor: string | null };

/** Every page of a list, followed by its cursors. */
async function allPages(qs: string): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | null = null;
  do {
    const res = await t.admin.get(`/api/organizations?${qs}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    const page: Page = res.json();
    names.push(...page.items.map((o) => o.name));
    cursor = page.nextCursor;
  } while (cursor);
  return names;
}

const bigramsOf = (name: string) => {
  const chars = [...name.toLowerCase()];
  return [...new Set(chars.slice(1).map((c, i) => chars[i]! + c))].sort();
};

async function storedBigrams(id: number): Promise<string[]> {
  const rows = await t.db.kysely
    .selectFrom('organization_name_bigrams')
    .select('bigram')
    .where('organization_id', '=', id)
    .orderBy('bigram')
    .execute();
  return rows.map((r) => r.bigram);
}

describe('name search', () => {
  it('finds substrings of one, two and more characters, in name order, with filters and keyset pages', async () => {
    const sub = (await t.subdistrict(districtId)).id;
    const names = [
      '阳光助老服务中心',
      '助老服务队',
      '青少年助老志愿队',
      '慈善超市',
      'AB爱心社',
      '老年大学',
      '夕阳红助老协会',
    ];
    const ids: Record<string, number> = {};
    for (const name of names) {
      const res = await t.admin.post('/api/organizations', { kind: 'community_org', name, jurisdictionId: sub });
      ids[name] = res.json().id;
    }
    const find = async (q: string, more = '') =>
      (await allPages(`jurisdictionId=${sub}&q=${encodeURIComponent(q)}${more}`)).join(',');
    const sorted = (...n: string[]) => [...n].sort().join(',');

    expect(await find('老')).toBe(
      sorted('阳光助老服务中心', '助老服务队', '青少年助老志愿队', '老年大学', '夕阳红助老协会'),
    );
    expect(await find('助老')).toBe(sorted('阳光助老服务中心', '助老服务队', '青少年助老志愿队', '夕阳红助老协会'));
    expect(await find('老服')).toBe(sorted('阳光助老服务中心', '助老服务队'));
    expect(await find('助老服务')).toBe(sorted('阳光助老服务中心', '助老服务队'));
    expect(await find('青少年助老志愿队')).toBe('青少年助老志愿队');
    expect(await find('ab')).toBe('AB爱心社');
    expect(await find('老助')).toBe('');
    expect(await find('超市老')).toBe('');
    // Pages of one: the cursor walks the matches in name order.
    expect(await find('助老', '&limit=1')).toBe(await find('助老'));
    expect(await find('助老服', '&limit=1')).toBe(sorted('阳光助老服务中心', '助老服务队'));

    // Under the district: per-subdistrict walks merged by name, with keyset pages across them.
    const other = (await t.subdistrict(districtId)).id;
    for (const name of ['助老第二队', '东方慈善会'])
      await t.admin.post('/api/organizations', { kind: 'community_org', name, jurisdictionId: other });
    const inDistrict = async (qs: string) => (await allPages(`jurisdictionId=${districtId}${qs}`)).join(',');
    expect(await inDistrict('&limit=2')).toBe(sorted(...names, '助老第二队', '东方慈善会'));
    expect(await inDistrict('&q=老&limit=2')).toBe(
      sorted('阳光助老服务中心', '助老服务队', '青少年助老志愿队', '老年大学', '夕阳红助老协会', '助老第二队'),
    );
    expect(await inDistrict('&q=慈善&limit=1')).toBe(sorted('慈善超市', '东方慈善会'));

    await t.admin.post(`/api/organizations/${ids['助老服务队']}/status`, { status: 'submitted', reason: '提交' });
    expect(await find('助老', '&status=submitted')).toBe('助老服务队');
    expect(await find('助老', '&status=draft&limit=2')).toBe(
      sorted('阳光助老服务中心', '青少年助老志愿队', '夕阳红助老协会'),
    );
  });

  it('keeps the bigrams in step when a name changes and when a row goes', async () => {
    const sub = (await t.subdistrict(districtId)).id;
    const id = (
      await t.admin.post('/api/organizations', { kind: 'community_org', name: '彩虹助老服务队', jurisdictionId: sub })
    ).json().id;
    expect(await storedBigrams(id)).toEqual(bigramsOf('彩虹助老服务队'));

    const renamed = await t.admin.patch(`/api/organizations/${id}`, { name: '彩虹助残服务队' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(await storedBigrams(id)).toEqual(bigramsOf('彩虹助残服务队'));
    expect(await allPages(`jurisdictionId=${sub}&q=助老`)).toEqual([]);
    expect(await allPages(`jurisdictionId=${sub}&q=助残`)).toEqual(['彩虹助残服务队']);
    expect(await allPages(`jurisdictionId=${sub}&q=彩虹助残`)).toEqual(['彩虹助残服务队']);

    // Other changes leave the bigrams alone.
    await t.admin.patch(`/api/organizations/${id}`, { address: '虹口路1号' });
    expect(await storedBigrams(id)).toEqual(bigramsOf('彩虹助残服务队'));

    await t.db.kysely.transaction().execute(async (trx) => {
      await trx.deleteFrom('organization_versions').where('organization_id', '=', id).execute();
      await trx.deleteFrom('organizations').where('id', '=', id).execute();
    });
    expect(await storedBigrams(id)).toEqual([]);
  });

  it(`pages through a query matching more than ${SEARCH_CANDIDATES} names, and finds none where it has none`, async () => {
    const sub = await t.subdistrict(districtId);
    const empty = (await t.subdistrict(districtId)).id;
    const j = await t.db.kysely
      .selectFrom('jurisdictions')
      .select(['id', 'path'])
      .where('id', '=', sub.id)
      .executeTakeFirstOrThrow();
    const count = SEARCH_CANDIDATES + 37;
    const now = new Date().toISOString();
    const rows = Array.from({ length: count }, (_, i) => ({
      kind: 'community_org',
      name: `稠密测试${String((i * 7919) % count).padStart(4, '0')}号${i % 3 ? '服务队' : '协会'}`,
      status: i % 4 ? 'active' : 'dormant',
      jurisdiction_id: j.id,
      jurisdiction_path: j.path,
      fields: '[]',
      party_branch_kind: 'none',
      contact_status: 'reachable',
      version: 1,
      created_at: now,
      updated_at: now,
    }));
    for (let i = 0; i < rows.length; i += 200)
      await t.db.kysely
        .insertInto('organizations')
        .values(rows.slice(i, i + 200))
        .execute();
    const expected = (filter: (r: (typeof rows)[number]) => boolean) =>
      rows
        .filter(filter)
        .map((r) => r.name)
        .sort();

    expect(await allPages(`jurisdictionId=${sub.id}&q=稠密&limit=100`)).toEqual(expected(() => true));
    expect(await allPages(`jurisdictionId=${sub.id}&q=稠密测试&status=dormant&limit=100`)).toEqual(
      expected((r) => r.status === 'dormant'),
    );
    expect(await allPages(`jurisdictionId=${sub.id}&q=协会&limit=100`)).toEqual(
      expected((r) => r.name.endsWith('协会')),
    );
    expect(await allPages(`jurisdictionId=${empty}&q=稠密`)).toEqual([]);
    expect(await allPages(`jurisdictionId=${empty}&q=稠密测试`)).toEqual([]);
    // Common city-wide, rare in this scope: the scope's own bigram postings answer, the name is tested.
    await t.admin.post('/api/organizations', { kind: 'community_org', name: '稠密测试外来队', jurisdictionId: empty });
    await t.admin.post('/api/organizations', { kind: 'community_org', name: '测试稠密外来队', jurisdictionId: empty });
    expect(await allPages(`jurisdictionId=${empty}&q=稠密测试`)).toEqual(['稠密测试外来队']);
    expect(await allPages(`jurisdictionId=${empty}&q=稠密`)).toEqual(['测试稠密外来队', '稠密测试外来队']);
    expect(await allPages(`q=稠密测试外来&limit=1`)).toEqual(['稠密测试外来队']);
    // Under the district: common in one subdistrict (walked), rare in another (its postings), absent elsewhere.
    const everywhere = [...expected(() => true), '测试稠密外来队', '稠密测试外来队'].sort();
    expect(await allPages(`jurisdictionId=${districtId}&q=稠密&limit=150`)).toEqual(everywhere);
    expect(await allPages(`jurisdictionId=${districtId}&q=稠密测试&limit=150`)).toEqual(
      everywhere.filter((n) => n.includes('稠密测试')),
    );
  });

  it('answers the same while new names wait for their postings (a bulk import), and after they are written', async () => {
    const district = await t.district();
    const [dense, sparse] = [await t.subdistrict(district.id), await t.subdistrict(district.id)];
    const places = await t.db.kysely
      .selectFrom('jurisdictions')
      .select(['id', 'path'])
      .where('id', 'in', [district.id, dense.id, sparse.id])
      .execute();
    const place = (id: number) => places.find((p) => p.id === id)!;
    const now = new Date().toISOString();
    const row = (name: string, at: number) => ({
      kind: 'community_org',
      name,
      status: 'active',
      jurisdiction_id: at,
      jurisdiction_path: place(at).path,
      fields: '[]',
      party_branch_kind: 'none',
      contact_status: 'reachable',
      version: 1,
      created_at: now,
      updated_at: now,
    });
    const insert = (rows: ReturnType<typeof row>[], deferred: boolean) =>
      t.db.kysely.transaction().execute(async (trx) => {
        if (deferred) await deferNamePostings(trx);
        const ids: number[] = [];
        for (let i = 0; i < rows.length; i += 200)
          ids.push(
            ...(
              await trx
                .insertInto('organizations')
                .values(rows.slice(i, i + 200))
                .returning('id')
                .execute()
            ).map((r) => r.id),
          );
        if (deferred) await resumeNamePostings(trx);
        return ids;
      });
    // Common in the district (its postings overflow, so the district is walked), rare in `sparse`,
    // where the walk answers from that subdistrict's postings: pending names must be among them.
    const written = [
      ...Array.from({ length: SEARCH_CANDIDATES + 20 }, (_, i) => row(`延迟测试${i}号队`, dense.id)),
      row('外来延迟测试队', sparse.id),
    ];
    const pending = [
      row('延迟测试外来队', sparse.id),
      row('迟到助老延迟会', sparse.id),
      row('区级待分延迟社', district.id),
      ...Array.from({ length: 30 }, (_, i) => row(`延迟测试补${i}号队`, dense.id)),
    ];
    await insert(written, false);
    const pendingIds = await insert(pending, true);
    const waiting = await t.db.kysely.selectFrom('organization_name_pending').select('organization_id').execute();
    expect(waiting.map((r) => r.organization_id).sort()).toEqual([...pendingIds].sort());
    expect(await storedBigrams(pendingIds[0]!)).toEqual([]);

    let everything = [...written, ...pending];
    const expected = (q: string, at?: number) =>
      everything
        .filter((r) => r.name.toLowerCase().includes(q) && (at === undefined || r.jurisdiction_id === at))
        .map((r) => r.name)
        .sort();
    // City-wide only for pieces no other test's names hold.
    const queries = ['延迟', '外来', '助老', '待分', '迟到', '延迟测试', '测试外来', '补2', '改名会', '区级待分延迟社'];
    const citywide = new Set(['延迟', '待分', '迟到', '延迟测试', '改名会', '区级待分延迟社']);
    const answers = async () => {
      for (const q of queries) {
        const enc = encodeURIComponent(q);
        expect(await allPages(`jurisdictionId=${district.id}&q=${enc}&limit=200`), q).toEqual(expected(q));
        expect(await allPages(`jurisdictionId=${sparse.id}&q=${enc}&limit=200`), q).toEqual(expected(q, sparse.id));
        if (citywide.has(q)) expect(await allPages(`q=${enc}&limit=200`), q).toEqual(expected(q));
      }
    };
    await answers();

    // A name renamed or deleted while pending is answered by what it is now.
    await t.db.kysely
      .updateTable('organizations')
      .set({ name: '迟到改名会' })
      .where('id', '=', pendingIds[1]!)
      .execute();
    pending[1]!.name = '迟到改名会';
    await t.db.kysely.deleteFrom('organizations').where('id', '=', pendingIds[2]!).execute();
    everything = everything.filter((r) => r !== pending[2]);
    await answers();

    while (await t.db.kysely.transaction().execute((trx) => writePendingNamePostings(trx, t.db.engine, 7))) {
      // seven organizations a batch: several batches
    }
    expect(await t.db.kysely.selectFrom('organization_name_pending').select('organization_id').execute()).toEqual([]);
    expect(await storedBigrams(pendingIds[0]!)).toEqual(bigramsOf('延迟测试外来队'));
    expect(await storedBigrams(pendingIds[1]!)).toEqual(bigramsOf('迟到改名会'));
    expect(await storedBigrams(pendingIds[2]!)).toEqual([]);
    await answers();
  });
});
