import { sql } from 'kysely';
import type { RuleRegistry } from '../risk/rule-registry.js';

/**
 * The registry's own risk rules: what the organization record, its activities and its change
 * history say. Each is one set-based SELECT over the candidate organizations `o`.
 */
export function registerRegistryRiskRules(registry: RuleRegistry): void {
  registry.register({
    id: 'certificate_expired',
    module: 'registry',
    description: { 'zh-CN': '登记证书已过有效期', en: 'Registration certificate has expired' },
    defaultWeight: 40,
    params: {},
    evidence: { date: 'expiresOn' },
    evaluate: (ctx) => ({
      from: sql`from organizations o where ${ctx.candidates}
        and o.certificate_expires_on is not null and o.certificate_expires_on < ${ctx.today}`,
      date: sql`o.certificate_expires_on`,
    }),
  });

  registry.register({
    id: 'certificate_expiring',
    module: 'registry',
    description: {
      'zh-CN': '登记证书将在 N 天内到期',
      en: 'Registration certificate expires within N days',
    },
    defaultWeight: 10,
    params: { days: { unit: 'days', min: 1, max: 365, default: 30 } },
    evidence: { date: 'expiresOn' },
    evaluate: (ctx) => ({
      from: sql`from organizations o where ${ctx.candidates}
        and o.certificate_expires_on >= ${ctx.today} and o.certificate_expires_on <= ${ctx.addDays(ctx.params.days!)}`,
      date: sql`o.certificate_expires_on`,
    }),
  });

  // The latest activity more than N days ago (or none, for an organization entered before then).
  registry.register({
    id: 'inactive',
    module: 'registry',
    description: { 'zh-CN': '超过 N 天未记录活动', en: 'No activity recorded in N days' },
    defaultWeight: 20,
    params: { days: { unit: 'days', min: 30, max: 1095, default: 180 } },
    evidence: { date: 'lastActivityOn' },
    evaluate: (ctx) => {
      const cutoff = ctx.addDays(-ctx.params.days!);
      return {
        from: sql`from organizations o where ${ctx.candidates} and o.created_at < ${cutoff}
          and not exists (select 1 from activities a where a.organization_id = o.id and a.occurred_on >= ${cutoff})`,
        date: sql`(select max(a.occurred_on) from activities a where a.organization_id = o.id)`,
      };
    },
  });

  registry.register({
    id: 'leadership_churn',
    module: 'registry',
    description: {
      'zh-CN': '12 个月内负责人变更 N 次及以上',
      en: 'Person in charge changed N or more times in 12 months',
    },
    defaultWeight: 20,
    params: { changes: { unit: 'count', min: 2, max: 20, default: 3 } },
    evidence: { count: 'changes', date: 'lastChangedOn' },
    evaluate: (ctx) => ({
      from: sql`from organizations o
        join (select organization_id, count(*) as n, max(changed_on) as last_on
              from organization_leader_changes
              where ${ctx.idsIn('organization_id')} and changed_on > ${ctx.addMonths(-12)}
              group by organization_id having count(*) >= ${ctx.params.changes!}) l on l.organization_id = o.id
        where ${ctx.candidates}`,
      count: sql`l.n`,
      date: sql`l.last_on`,
    }),
  });

  registry.register({
    id: 'no_party_organization',
    module: 'registry',
    description: { 'zh-CN': '未建立党组织', en: 'No party organization' },
    defaultWeight: 5,
    params: {},
    evidence: {},
    evaluate: (ctx) => ({ from: sql`from organizations o where ${ctx.candidates} and o.party_branch_kind = 'none'` }),
  });

  registry.register({
    id: 'unreachable',
    module: 'registry',
    description: { 'zh-CN': '无法取得联系', en: 'Cannot be reached' },
    defaultWeight: 30,
    params: {},
    evidence: { date: 'unreachableSince' },
    evaluate: (ctx) => ({
      from: sql`from organizations o where ${ctx.candidates} and o.contact_status = 'unreachable'`,
      since: sql`o.unreachable_since`,
      date: sql`o.unreachable_since`,
    }),
  });

  registry.register({
    id: 'suspended',
    module: 'registry',
    description: { 'zh-CN': '已被责令暂停活动', en: 'Suspended' },
    defaultWeight: 50,
    params: {},
    evidence: {},
    evaluate: (ctx) => ({ from: sql`from organizations o where ${ctx.candidates} and o.status = 'suspended'` }),
  });
}
