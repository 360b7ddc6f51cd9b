import { sql, type ExpressionBuilder, type Kysely, type Transaction, type Updateable } from 'kysely';
import type { CaseEventKind, CaseLevel, NotificationChannel } from '@qiao/contracts';
import type { CaseTable, Database } from '../../db/schema.js';
import { recordAudit } from '../../platform/audit/audit-log.js';
import { auditContext, inSubtree, systemActor, type RequestContext } from '../../platform/scope.js';
import { notifyFirstReached, type NotificationAudience } from '../notifications/notify.js';
import { caseRow, escalationTarget, missedDeadline, type CaseRow } from './case-rules.js';
import type { createCaseSettings } from './case-settings.js';

type Trx = Transaction<Database>;
const MINUTE = 60_000;

/** What escalation needs from the case service: its settings, timeline writer and overdue test. */
export interface EscalationDeps {
  kysely: Kysely<Database>;
  clock: () => Date;
  settings: ReturnType<typeof createCaseSettings>;
  addEvent(
    trx: Trx,
    caseId: number,
    kind: CaseEventKind,
    ctx: RequestContext | null,
    details: Record<string, unknown>,
    at: string,
  ): Promise<void>;
  channelsFor(severity: string): NotificationChannel[];
  overdueWhere(
    eb: ExpressionBuilder<Database & { c: Database['cases'] }, 'c'>,
    now: string,
  ): ReturnType<ExpressionBuilder<Database, never>['or']>;
}

/**
 * Escalation of cases past a deadline, one level up the tree, on demand (runEscalations) and from
 * the scheduled job. Kept apart from the case service: it is the one part that runs without a caller.
 */
export function createCaseEscalations({
  kysely,
  clock,
  settings,
  addEvent,
  channelsFor,
  overdueWhere,
}: EscalationDeps) {
  /** What one escalation run reads once instead of per case: SLAs, parents, the acting context. */
  function runMemo(ctx: RequestContext | null) {
    const slas = new Map<string, Promise<{ acknowledge: number; resolve: number }>>();
    const parents = new Map<number, ReturnType<typeof escalationTarget>>();
    let actx: Promise<RequestContext> | undefined;
    let root: ReturnType<typeof settings.root> | undefined;
    return {
      root: () => (root ??= settings.root()),
      sla: (severity: string) => slas.get(severity) ?? slas.set(severity, settings.slaFor(severity)).get(severity)!,
      target: (id: number) => parents.get(id) ?? parents.set(id, escalationTarget(kysely, id)).get(id)!,
      ctx: () =>
        (actx ??= ctx
          ? Promise.resolve(ctx)
          : settings.root().then((root) => ({ actor: systemActor(root, 'escalation'), requestId: null, ip: null }))),
    };
  }

  async function escalateOne(c: CaseRow, now: Date, memo: ReturnType<typeof runMemo>): Promise<boolean> {
    const missed = missedDeadline(c, now);
    if (!missed || c.level === 'city') return false;
    const target = await memo.target(c.level_jurisdiction_id);
    if (!target) return false;
    const sla = await memo.sla(c.severity);
    const at = now.toISOString();
    const set: Updateable<CaseTable> = {
      level: target.level as CaseLevel,
      level_jurisdiction_id: target.id,
      escalated_at: at,
    };
    // The new level gets its own window for the deadline that was missed.
    if (missed === 'acknowledge')
      set.acknowledge_due_at = new Date(now.getTime() + sla.acknowledge * MINUTE).toISOString();
    if (missed === 'resolve' || c.resolve_due_at < at)
      set.resolve_due_at = new Date(now.getTime() + sla.resolve * MINUTE).toISOString();
    const actx = await memo.ctx();
    const city = await memo.root();
    return kysely.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('cases')
        .set({ ...set, version: c.version + 1, updated_at: at })
        .where('id', '=', c.id)
        .where('version', '=', c.version)
        .executeTakeFirst();
      // Changed meanwhile (acknowledged, or escalated by another run): the next run looks again.
      if (Number(updated.numUpdatedRows) !== 1) return false;
      const details = {
        from: c.level,
        to: target.level,
        toJurisdiction: target.name,
        toJurisdictionEn: target.name_en,
        missed,
      };
      await addEvent(trx, c.id, 'escalated', null, details, at);
      await recordAudit(trx, auditContext(actx), {
        action: 'case.escalate',
        entityType: 'case',
        entityId: c.id,
        jurisdiction: { id: c.jurisdiction_id, path: c.jurisdiction_path },
        changes: [{ field: 'level', before: c.level, after: target.level }],
        details,
      });
      // A district with no officers in post passes the word to the city's administrators.
      const chain: NotificationAudience[] =
        target.level === 'city'
          ? [{ jurisdictionId: target.id, roles: ['city_admin'] }]
          : [
              { jurisdictionId: target.id, roles: ['district_officer'] },
              { jurisdictionId: city.id, roles: ['city_admin'] },
            ];
      await notifyFirstReached(trx, chain, {
        about: { id: c.jurisdiction_id, path: c.jurisdiction_path },
        kind: 'case.escalated',
        title: `案件 #${c.id} 超时未${missed === 'acknowledge' ? '受理' : '办结'}，已上报${target.name}`,
        params: { caseId: c.id, missed, jurisdiction: c.jurisdiction_name, to: target.name },
        link: `/cases/${c.id}`,
        channels: channelsFor(c.severity),
      });
      return true;
    });
  }

  return {
    async runEscalations(ctx: RequestContext | null): Promise<{ escalated: number }> {
      const now = clock();
      const at = now.toISOString();
      const due = await kysely
        .selectFrom('cases as c')
        .innerJoin('jurisdictions as j', 'j.id', 'c.jurisdiction_id')
        .leftJoin('departments as d', 'd.id', 'c.department_id')
        .leftJoin('organizations as o', 'o.id', 'c.organization_id')
        .selectAll('c')
        .select([
          'j.name as jurisdiction_name',
          'j.name_en as jurisdiction_name_en',
          'd.name as department_name',
          'o.name as organization_name',
        ])
        .where('c.level', '!=', 'city')
        .where((eb) => overdueWhere(eb, at))
        .where(ctx ? inSubtree('c.jurisdiction_path', ctx.actor.scopePath) : sql<boolean>`1 = 1`)
        .orderBy('c.id')
        .execute();
      let escalated = 0;
      const memo = runMemo(ctx);
      for (const row of due) if (await escalateOne(caseRow(row), now, memo)) escalated += 1;
      return { escalated };
    },
  };
}
