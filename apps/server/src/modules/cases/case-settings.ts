import type { CaseRoutingRule, CaseSeverity, SetCaseRoutingRuleBody, UpdateSlaPolicyBody } from '@qiao/contracts';
import { recordAudit } from '../../platform/audit/audit-log.js';
import type { Deps } from '../../platform/deps.js';
import { invalidFields, notFound } from '../../platform/errors.js';
import { systemClock } from '../../platform/jobs.js';
import { auditContext, inScope, inSubtree, type RequestContext } from '../../platform/scope.js';

/** The ids on a materialized path, root first: `/1/4/9/` → [1, 4, 9]. */
function pathIds(path: string): number[] {
  return path.split('/').filter(Boolean).map(Number);
}

/** City-configurable case settings: the SLA per severity and routing rules per category and jurisdiction. */
export function createCaseSettings(deps: Deps) {
  const kysely = deps.db.kysely;
  const clock = deps.clock ?? systemClock;

  function rules() {
    return kysely
      .selectFrom('case_routing_rules as r')
      .innerJoin('jurisdictions as j', 'j.id', 'r.jurisdiction_id')
      .leftJoin('departments as d', 'd.id', 'r.department_id')
      .selectAll('r')
      .select(['j.name as jurisdiction_name', 'd.name as department_name']);
  }
  type RuleRow = Awaited<ReturnType<ReturnType<typeof rules>['executeTakeFirstOrThrow']>>;
  const presentRule = (r: RuleRow): CaseRoutingRule => ({
    id: r.id,
    category: r.category as CaseRoutingRule['category'],
    jurisdictionId: r.jurisdiction_id,
    jurisdictionName: r.jurisdiction_name,
    target: r.target,
    departmentId: r.department_id,
    departmentName: r.department_name,
    updatedAt: r.updated_at,
  });

  return {
    async root() {
      return kysely
        .selectFrom('jurisdictions')
        .select(['id', 'path'])
        .where('parent_id', 'is', null)
        .executeTakeFirstOrThrow();
    },

    async slaFor(severity: string): Promise<{ acknowledge: number; resolve: number }> {
      const row = await kysely
        .selectFrom('sla_policies')
        .selectAll()
        .where('severity', '=', severity)
        .executeTakeFirst();
      // The migration seeds every severity; a missing row would be a broken database, so fail loudly.
      if (!row) throw new Error(`no SLA policy for severity ${severity}`);
      return { acknowledge: row.acknowledge_minutes, resolve: row.resolve_minutes };
    },

    /**
     * Where a new case goes: the rule for its category at the deepest jurisdiction on its path
     * (its subdistrict, then the district, then the city); without one, the center queue.
     */
    async routeFor(category: string, path: string) {
      const ids = pathIds(path);
      const candidates = await rules()
        .where('r.category', '=', category)
        .where('r.jurisdiction_id', 'in', ids)
        .execute();
      const best = candidates.sort((a, b) => b.jurisdiction_path.length - a.jurisdiction_path.length)[0];
      if (!best || best.target === 'center')
        return { target: 'center' as const, departmentId: null, departmentName: null, ruleId: best?.id ?? null };
      return {
        target: 'department' as const,
        departmentId: best.department_id,
        departmentName: best.department_name,
        ruleId: best.id,
      };
    },

    async listSlaPolicies() {
      const rows = await kysely.selectFrom('sla_policies').selectAll().execute();
      const order = ['critical', 'high', 'medium', 'low'];
      return {
        items: rows
          .sort((a, b) => order.indexOf(a.severity) - order.indexOf(b.severity))
          .map((r) => ({
            severity: r.severity as CaseSeverity,
            acknowledgeMinutes: r.acknowledge_minutes,
            resolveMinutes: r.resolve_minutes,
            updatedAt: r.updated_at,
          })),
      };
    },

    /** Applies to cases reported from now on; open cases keep the deadlines they were given. */
    async updateSlaPolicy(ctx: RequestContext, body: UpdateSlaPolicyBody) {
      const before = await kysely
        .selectFrom('sla_policies')
        .selectAll()
        .where('severity', '=', body.severity)
        .executeTakeFirstOrThrow();
      const now = clock().toISOString();
      await kysely.transaction().execute(async (trx) => {
        await trx
          .updateTable('sla_policies')
          .set({ acknowledge_minutes: body.acknowledgeMinutes, resolve_minutes: body.resolveMinutes, updated_at: now })
          .where('severity', '=', body.severity)
          .execute();
        await recordAudit(trx, auditContext(ctx), {
          action: 'sla.update',
          entityType: 'sla_policy',
          entityId: body.severity,
          changes: [
            { field: 'acknowledgeMinutes', before: before.acknowledge_minutes, after: body.acknowledgeMinutes },
            { field: 'resolveMinutes', before: before.resolve_minutes, after: body.resolveMinutes },
          ].filter((c) => c.before !== c.after),
        });
      });
      return {
        severity: body.severity,
        acknowledgeMinutes: body.acknowledgeMinutes,
        resolveMinutes: body.resolveMinutes,
        updatedAt: now,
      };
    },

    async listCaseRoutingRules(ctx: RequestContext) {
      const rows = await rules()
        .where(inSubtree('r.jurisdiction_path', ctx.actor.scopePath))
        .orderBy('r.category')
        .orderBy('r.jurisdiction_path')
        .execute();
      return { items: rows.map(presentRule) };
    },

    /** Sets the rule for one category at one jurisdiction (replacing the one there). */
    async setCaseRoutingRule(ctx: RequestContext, body: SetCaseRoutingRuleBody): Promise<CaseRoutingRule> {
      const errors = [];
      const j = await kysely
        .selectFrom('jurisdictions')
        .select(['id', 'path'])
        .where('id', '=', body.jurisdictionId)
        .executeTakeFirst();
      if (!j || !inScope(ctx.actor, j.path))
        errors.push({ field: 'jurisdictionId', code: 'not_found', message: 'no such jurisdiction' });
      let departmentId: number | null = null;
      if (body.target === 'department' && body.departmentId) {
        const d = await kysely
          .selectFrom('departments as d')
          .innerJoin('jurisdictions as dj', 'dj.id', 'd.jurisdiction_id')
          .select(['d.id', 'dj.path'])
          .where('d.id', '=', body.departmentId)
          .executeTakeFirst();
        // The department must sit at the rule's jurisdiction or above it, so its officers see the cases.
        if (!d || !inScope(ctx.actor, d.path) || (j && !j.path.startsWith(d.path)))
          errors.push({
            field: 'departmentId',
            code: 'not_found',
            message: 'no such department at this jurisdiction or above it',
          });
        else departmentId = d.id;
      }
      if (errors.length || !j) throw invalidFields(errors);
      const now = clock().toISOString();
      const id = await kysely.transaction().execute(async (trx) => {
        const existing = await trx
          .selectFrom('case_routing_rules')
          .selectAll()
          .where('category', '=', body.category)
          .where('jurisdiction_id', '=', j.id)
          .executeTakeFirst();
        let id: number;
        if (existing) {
          await trx
            .updateTable('case_routing_rules')
            .set({ target: body.target, department_id: departmentId, updated_at: now })
            .where('id', '=', existing.id)
            .execute();
          id = existing.id;
        } else {
          id = (
            await trx
              .insertInto('case_routing_rules')
              .values({
                category: body.category,
                jurisdiction_id: j.id,
                jurisdiction_path: j.path,
                target: body.target,
                department_id: departmentId,
                created_at: now,
                updated_at: now,
              })
              .returning('id')
              .executeTakeFirstOrThrow()
          ).id;
        }
        await recordAudit(trx, auditContext(ctx), {
          action: 'case_routing.update',
          entityType: 'case_routing_rule',
          entityId: id,
          jurisdiction: j,
          changes: [
            { field: 'target', before: existing?.target ?? null, after: body.target },
            { field: 'departmentId', before: existing?.department_id ?? null, after: departmentId },
          ].filter((c) => c.before !== c.after),
          details: { category: body.category },
        });
        return id;
      });
      return presentRule(await rules().where('r.id', '=', id).executeTakeFirstOrThrow());
    },

    async deleteCaseRoutingRule(ctx: RequestContext, id: number): Promise<void> {
      const row = await rules().where('r.id', '=', id).executeTakeFirst();
      if (!row || !inScope(ctx.actor, row.jurisdiction_path)) throw notFound('routing rule');
      await kysely.transaction().execute(async (trx) => {
        await trx.deleteFrom('case_routing_rules').where('id', '=', id).execute();
        await recordAudit(trx, auditContext(ctx), {
          action: 'case_routing.delete',
          entityType: 'case_routing_rule',
          entityId: id,
          jurisdiction: { id: row.jurisdiction_id, path: row.jurisdiction_path },
          details: { category: row.category, target: row.target, departmentId: row.department_id },
        });
      });
    },
  };
}
