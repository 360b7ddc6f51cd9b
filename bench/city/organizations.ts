import type { InsertObject } from 'kysely';
import type { OrganizationKind, OrganizationStatus, serviceFields } from '@qiao/contracts';
import type { Database } from '../../apps/server/src/db/schema.js';
import { iso, type GenContext } from './context.js';
import type { Rng } from './names.js';

type Field = (typeof serviceFields)[number];

/** Words a community gives its organizations, before the field of service. */
const brandWords = [
  ...'阳光 幸福 和谐 爱心 同心 夕阳红 彩虹 向日葵 暖心 益友 邻里 银龄 春晖 朝阳 启明 绿叶 蒲公英 金色年华 乐龄 善行 梧桐 兰馨 馨园 明珠 东方 新苑 睦邻 百合 常青 晨曦'.split(
    ' ',
  ),
];

/** Fields of service as names say them, with the taxonomy entry and a weight (助老, 慈善 the commonest). */
const fieldWords: readonly [word: string, field: Field, weight: number][] = [
  ['助老', 'elderly_care', 14],
  ['慈善', 'poverty_relief', 10],
  ['青少年', 'children_youth', 8],
  ['助残', 'disability', 6],
  ['志愿', 'volunteering', 9],
  ['文体', 'culture_sports', 6],
  ['环保', 'environment', 5],
  ['法律援助', 'legal_aid', 3],
  ['社区治理', 'community_governance', 4],
  ['养老', 'elderly_care', 5],
  ['心理健康', 'health', 3],
  ['家庭教育', 'education', 3],
  ['助学', 'education', 3],
  ['邻里互助', 'community_governance', 3],
  ['书画', 'culture_sports', 2],
  ['科普', 'education', 2],
  ['健康促进', 'health', 2],
  ['社会工作', 'other', 3],
  ['儿童关爱', 'children_youth', 2],
  ['为老', 'elderly_care', 2],
];
const fieldTotal = fieldWords.reduce((s, [, , w]) => s + w, 0);

/** Suffixes and the kinds of organization that carry them. */
const suffixes: readonly [suffix: string, kinds: readonly OrganizationKind[]][] = [
  ['服务中心', ['social_service_agency', 'community_org']],
  ['协会', ['social_group']],
  ['服务队', ['community_org']],
  ['促进会', ['social_group']],
  ['基金会', ['foundation']],
  ['工作室', ['community_org', 'social_service_agency']],
  ['服务社', ['social_service_agency', 'community_org']],
  ['志愿者协会', ['social_group', 'community_org']],
  ['发展中心', ['social_service_agency']],
  ['互助会', ['community_org']],
];
// Community organizations are the most numerous, foundations the rarest.
const suffixWeights = [18, 10, 22, 4, 1, 8, 8, 6, 5, 18];
const suffixTotal = suffixWeights.reduce((s, w) => s + w, 0);

const statuses: readonly [OrganizationStatus, number][] = [
  ['active', 70],
  ['dormant', 7],
  ['draft', 5],
  ['submitted', 4],
  ['under_review', 3],
  ['rejected', 2],
  ['suspended', 3],
  ['deregistered', 6],
];

function weighted<T>(rng: Rng, items: readonly T[], weight: (t: T, i: number) => number, total: number): T {
  let r = rng.next() * total;
  for (let i = 0; i < items.length; i++) {
    r -= weight(items[i]!, i);
    if (r < 0) return items[i]!;
  }
  return items[items.length - 1]!;
}

// GB 32100-2015, as packages/contracts/src/identifiers.ts checks it.
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = Array.from({ length: 17 }, (_, i) => 3 ** i % 31);
const usccCategory: Partial<Record<OrganizationKind, string>> = {
  social_group: '51',
  social_service_agency: '52',
  foundation: '53',
};

/** A valid, unique USCC: civil affairs' category, the district's region code, `serial` in base 31, the check character. */
export function uscc(kind: OrganizationKind, region: string, serial: number): string {
  let body = '';
  for (let n = serial, i = 0; i < 9; i++, n = Math.floor(n / 31)) body = USCC_CHARS[n % 31] + body;
  const first17 = `${usccCategory[kind]}${region}${body}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(first17[i]!) * USCC_WEIGHTS[i]!;
  return first17 + USCC_CHARS[(31 - (sum % 31)) % 31]!;
}

/** Every `SAMPLE_EVERY`th name is kept: the search scenario takes its queries from them. */
const SAMPLE_EVERY = 97;

/**
 * `count` organizations spread evenly over the subdistricts: names composed of a place, often a
 * community word, a field of service and a suffix that fits the kind; valid USCCs for registered
 * kinds and filing numbers for community organizations. No change history (organization_versions)
 * is written: lists and search never read it.
 */
export function* organizationRows(ctx: GenContext, count: number): Generator<InsertObject<Database, 'organizations'>> {
  const { rng, subdistricts } = ctx;
  const day = 86_400_000;
  for (let i = 0; i < count; i++) {
    const sub = subdistricts[i % subdistricts.length]!;
    const place = rng.next() < 0.75 ? sub.stem : ctx.districts[sub.district]!.name.replace(/(新区|区)$/, '');
    const brand = rng.next() < 0.55 ? rng.pick(brandWords) : '';
    const [fieldWord, field] = weighted(rng, fieldWords, (f) => f[2], fieldTotal);
    const s = weighted(rng, suffixes, (_, k) => suffixWeights[k]!, suffixTotal);
    const kind = rng.pick(s[1]);
    const name = `${place}${brand}${fieldWord}${s[0]}`;
    if (i % SAMPLE_EVERY === 0) ctx.sampledNames.push(name);
    const [status] = weighted(rng, statuses, (st) => st[1], 100);
    const founded = ctx.now - (365 + rng.int(15 * 365)) * day;
    const created = iso(founded + rng.int(300) * day);
    const year = created.slice(0, 4);
    const seq = (ctx.filingSequences.get(`${sub.id}:${year}`) ?? 0) + 1;
    if (kind === 'community_org') ctx.filingSequences.set(`${sub.id}:${year}`, seq);
    const second = rng.next() < 0.3 ? rng.pick(fieldWords)[1] : field;
    yield {
      kind,
      name,
      uscc: kind === 'community_org' ? null : uscc(kind, sub.code.slice(0, 6), i),
      filing_number: kind === 'community_org' ? `${sub.code}-${year}-${String(seq).padStart(4, '0')}` : null,
      status,
      jurisdiction_id: sub.id,
      jurisdiction_path: sub.path,
      founded_on: iso(founded).slice(0, 10),
      registered_on: kind === 'community_org' ? null : created.slice(0, 10),
      fields: JSON.stringify(second === field ? [field] : [field, second]),
      members_count: 5 + rng.int(300),
      volunteers_count: rng.int(200),
      party_branch_kind: rng.next() < 0.1 ? 'joint' : 'none',
      contact_status: rng.next() < 0.03 ? 'unreachable' : 'reachable',
      version: 1,
      created_at: created,
      updated_at: created,
    };
  }
}

/**
 * Name queries as people type them, taken from generated names: two characters the commonest
 * (助老, 慈善…), then longer pieces up to eight characters.
 */
export function searchQueries(rng: Rng, names: readonly string[], count: number): string[] {
  const lengths = [2, 2, 2, 2, 2, 3, 3, 4, 4, 5, 6, 8];
  const queries: string[] = [];
  for (let guard = 0; queries.length < count && guard < count * 20; guard++) {
    const chars = [...rng.pick(names)];
    const length = rng.pick(lengths);
    if (chars.length < length) continue;
    const start = rng.int(chars.length - length + 1);
    queries.push(chars.slice(start, start + length).join(''));
  }
  return queries;
}
