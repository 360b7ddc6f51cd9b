import { sql } from 'kysely';
import type { RuleRegistry } from '../risk/rule-registry.js';

/**
 * The cases module's risk rule: N or more complaint cases (category organization_complaint) about
 * an organization reported in the last D days, today included (Asia/Shanghai days; case instants are
 * UTC, so the window starts at Shanghai midnight expressed in UTC).
 */
export function registerCaseRiskRules(registry: RuleRegistry): void {
  registry.register({
    id: 'complaints',
    module: 'cases',
    description: {
      'zh-CN': '90 天内收到 N 件及以上针对该组织的投诉',
      en: 'N or more complaints about the organization in 90 days',
    },
    defaultWeight: 30,
    params: {
      complaints: { unit: 'count', min: 1, max: 100, default: 3 },
      days: { unit: 'days', min: 7, max: 365, default: 90 },
    },
    evidence: { count: 'complaints', date: 'windowStartsOn' },
    evaluate: (ctx) => {
      const first = ctx.addDays(-(ctx.params.days! - 1));
      const from = new Date(`${first}T00:00:00+08:00`).toISOString();
      return {
        from: sql`from organizations o
          join (select organization_id, count(*) as n from cases
                where ${ctx.idsIn('organization_id')} and category = 'organization_complaint'
                  and created_at >= ${from}
                group by organization_id having count(*) >= ${ctx.params.complaints!}) c on c.organization_id = o.id
          where ${ctx.candidates}`,
        count: sql`c.n`,
        date: sql`${first}`,
      };
    },
  });
}
