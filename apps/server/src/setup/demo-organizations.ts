import type { OrganizationKind, serviceFields } from '@qiao/contracts';
import { createActivityService } from '../modules/organizations/activities.service.js';
import { createOrganizationService } from '../modules/organizations/organizations.service.js';
import type { Deps } from '../platform/deps.js';
import type { RequestContext } from '../platform/scope.js';

type Field = (typeof serviceFields)[number];

const places = [
  '阳光',
  '银龄',
  '彩虹',
  '邻里',
  '梧桐',
  '春晖',
  '晨曦',
  '和美',
  '向日葵',
  '暖心',
  '滨江',
  '石库门',
  '新桥',
  '同心',
  '乐活',
];
const themes: [string, Field][] = [
  ['助老', 'elderly_care'],
  ['慈善', 'poverty_relief'],
  ['青少年成长', 'children_youth'],
  ['助残', 'disability'],
  ['志愿', 'volunteering'],
  ['文体', 'culture_sports'],
  ['环保', 'environment'],
  ['法律援助', 'legal_aid'],
  ['健康', 'health'],
  ['读书', 'education'],
  ['社区议事', 'community_governance'],
];
const suffixes: [string, OrganizationKind][] = [
  ['服务队', 'community_org'],
  ['互助会', 'community_org'],
  ['工作室', 'community_org'],
  ['协会', 'social_group'],
  ['促进会', 'social_group'],
  ['服务中心', 'social_service_agency'],
  ['服务社', 'social_service_agency'],
  ['基金会', 'foundation'],
];
const activities = [
  '重阳敬老活动',
  '社区义诊',
  '周末读书会',
  '环保宣传进楼组',
  '助残技能培训',
  '爱心义卖',
  '法律咨询日',
  '邻里议事会',
];

/** A valid GB 32100 code for a civil-affairs registration in `region` (sequence makes it unique). */
function demoUscc(region: string, kind: OrganizationKind, seq: number): string {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const category = kind === 'social_group' ? '1' : kind === 'foundation' ? '3' : '2';
  const body = `5${category}${region}MJ${String(seq).padStart(7, '0')}`;
  const sum = [...body].reduce((s, c, i) => s + chars.indexOf(c) * (3 ** i % 31), 0);
  return body + chars[(31 - (sum % 31)) % 31];
}

/**
 * About 300 organizations spread over the demo subdistricts — mostly active, some in review or
 * dormant — with a few activities each, entered through the registry's services like real ones.
 */
export async function seedDemoOrganizations(
  deps: Deps,
  ctx: RequestContext,
  subdistricts: { id: number; code: string }[],
  count = 300,
) {
  const organizations = createOrganizationService(deps);
  const log = createActivityService(deps, organizations);
  const used = new Set<string>();
  for (let i = 0; i < count; i++) {
    const sub = subdistricts[i % subdistricts.length]!;
    const [theme, field] = themes[(i * 7) % themes.length]!;
    const [suffix, kind] = suffixes[(i * 5) % suffixes.length]!;
    let name = `${places[i % places.length]}${theme}${suffix}`;
    if (used.has(name)) name = `${sub.code.slice(-3)}${name}`;
    if (used.has(name)) continue;
    used.add(name);
    const org = await organizations.createOrganization(ctx, {
      kind,
      name,
      jurisdictionId: sub.id,
      uscc: kind === 'community_org' ? undefined : demoUscc(sub.code.slice(0, 6), kind, i + 1),
      foundedOn: `${2008 + (i % 17)}-${String((i % 12) + 1).padStart(2, '0')}-15`,
      fields: [field],
      membersCount: 8 + ((i * 13) % 90),
      volunteersCount: (i * 7) % 40,
      partyBranch: { kind: i % 4 === 0 ? 'standalone' : i % 4 === 1 ? 'joint' : 'none' },
    });
    const status = i % 10 === 0 ? 'submitted' : 'active';
    await organizations.changeOrganizationStatus(ctx, org.id, {
      status: status === 'active' ? 'active' : 'submitted',
      reason: status === 'active' ? '演示数据：已登记或备案' : '演示数据：待审核',
    });
    if (i % 15 === 7)
      await organizations.changeOrganizationStatus(ctx, org.id, {
        status: 'dormant',
        reason: '演示数据：一年未开展活动',
      });
    if (status === 'active' && i % 3 === 0) {
      await log.recordActivity(ctx, org.id, {
        occurredOn: `2026-${String((i % 10) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`,
        title: activities[i % activities.length]!,
        field,
        participants: 10 + (i % 50),
        beneficiaries: 20 + ((i * 3) % 200),
      });
    }
  }
}
