import { type ExpressionBuilder, type Transaction, type Updateable } from 'kysely';
import type {
  CaseAction,
  CaseDetail,
  CaseEventKind,
  CaseStats,
  CaseSummary,
  CreateCaseBody,
  FieldError,
  ListCasesQuery,
  NotificationChannel,
} from '@qiao/contracts';
import type { CaseTable, Database } from '../../db/schema.js';
import { recordAudit, type AuditChange } from '../../platform/audit/audit-log.js';
import type { Deps } from '../../platform/deps.js';
import { DomainError, forbidden, invalidFields, notFound } from '../../platform/errors.js';
import { systemClock } from '../../platform/jobs.js';
import { auditContext, inScope, inSubtree, type RequestContext } from '../../platform/scope.js';
import type { HouseholdService } from '../households/households.service.js';
import type { OrganizationService } from '../organizations/organizations.service.js';
import { notify, type NotificationAudience } from '../notifications/notify.js';
import { caseRow, isOverdue, sharedWithReporter, type CaseRow } from './case-rules.js';
import { createCaseEscalations } from './case-escalations.js';
import { createCaseSettings } from './case-settings.js';

type Trx = Transaction<Database>;
const MINUTE = 60_000;

/** Roles that see every case of their subtree; others see what concerns them. */
const SUBTREE_READERS = new Set(['city_admin', 'district_officer', 'center_staff']);

const invalidTransition = (detail: string) => new DomainError('invalid_transition', detail);

/**
 * Cases: reported by anyone in scope, routed to a department or the center queue, worked through
 * open → acknowledged → resolved (and reopened), referred between departments, and escalated up
 * the jurisdiction tree when a deadline passes. Every step is on the timeline and in the audit trail.
 */
export function createCaseService(deps: Deps, organizations: OrganizationService, households: HouseholdService) {
  const kysely = deps.db.kysely;
  const clock = deps.clock ?? systemClock;
  const settings = createCaseSettings(deps);

  // People read names on a timeline, not account names: looked up once per request, before any
  // transaction (on SQLite a read outside an open transaction would wait for it).
  const names = new WeakMap<RequestContext, string>();
  async function loadName(ctx: RequestContext): Promise<void> {
    if (names.has(ctx)) return;
    const row =
      ctx.actor.kind === 'system'
        ? undefined
        : await kysely.selectFrom('users').select('display_name').where('id', '=', ctx.actor.userId).executeTakeFirst();
    names.set(ctx, row?.display_name ?? ctx.actor.username);
  }
  const nameOf = (ctx: RequestContext) => names.get(ctx) ?? ctx.actor.username;

  /** The cases the caller may see: the whole subtree for center, district and city; otherwise their own concern. */
  function visible(ctx: RequestContext) {
    const { actor } = ctx;
    const q = kysely
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
      // At the city the subtree is everything: leaving the range out lets the planner pick the
      // (status, deadline) indexes for the overdue list instead of a range that matches every row.
      .$if(actor.scopePath.split('/').filter(Boolean).length > 1, (qb) =>
        qb.where(inSubtree('c.jurisdiction_path', actor.scopePath)),
      );
    if (SUBTREE_READERS.has(actor.role) && actor.permissions.has('case:work')) return q;
    return q.where((eb) => {
      const mine = [eb('c.reporter_id', '=', actor.userId), eb('c.assignee_id', '=', actor.userId)];
      if (actor.role === 'department_officer' && actor.departmentId && actor.permissions.has('case:work'))
        mine.push(
          eb('c.department_id', '=', actor.departmentId),
          eb.exists(
            eb
              .selectFrom('case_referrals as r')
              .select('r.id')
              .whereRef('r.case_id', '=', 'c.id')
              // A department asked to take the case keeps seeing it, whatever it answered.
              .where('r.to_department_id', '=', actor.departmentId),
          ),
        );
      return eb.or(mine);
    });
  }

  function overdueWhere(eb: ExpressionBuilder<Database & { c: Database['cases'] }, 'c'>, now: string) {
    return eb.or([
      eb.and([eb('c.status', '=', 'open'), eb('c.acknowledge_due_at', '<', now)]),
      // `in` rather than `!= 'resolved'`, so both branches use their (status, due) index.
      eb.and([eb('c.status', 'in', ['open', 'acknowledged']), eb('c.resolve_due_at', '<', now)]),
    ]);
  }

  function summary(r: CaseRow, now: Date): CaseSummary {
    return {
      id: r.id,
      category: r.category as CaseSummary['category'],
      severity: r.severity as CaseSummary['severity'],
      status: r.status,
      jurisdictionId: r.jurisdiction_id,
      jurisdictionName: r.jurisdiction_name,
      jurisdictionNameEn: r.jurisdiction_name_en,
      queue: r.queue,
      departmentId: r.department_id,
      departmentName: r.department_name,
      assigneeName: r.assignee_name,
      level: r.level,
      acknowledgeDueAt: r.acknowledge_due_at,
      resolveDueAt: r.resolve_due_at,
      overdue: isOverdue(r, now),
      reporterName: r.reporter_name,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }

  /** May the caller work this case (acknowledge, assign, refer, resolve, reopen)? */
  function canWork(ctx: RequestContext, c: CaseRow): boolean {
    const { actor } = ctx;
    if (!actor.permissions.has('case:work')) return false;
    if (c.assignee_id === actor.userId) return true;
    switch (actor.role) {
      case 'city_admin':
      case 'center_staff':
        return true;
      case 'district_officer':
        // District officers work what escalated past the subdistrict.
        return c.level !== 'subdistrict';
      case 'department_officer':
        return actor.departmentId !== null && c.department_id === actor.departmentId;
      default:
        return false;
    }
  }

  async function pendingReferral(db: typeof kysely | Trx, caseId: number) {
    return db
      .selectFrom('case_referrals as r')
      .innerJoin('departments as d', 'd.id', 'r.to_department_id')
      .selectAll('r')
      .select('d.name as department_name')
      .where('r.case_id', '=', caseId)
      .where('r.status', '=', 'pending')
      .executeTakeFirst();
  }

  function decidesReferral(ctx: RequestContext, toDepartmentId: number): boolean {
    const { actor } = ctx;
    if (!actor.permissions.has('case:work')) return false;
    return (
      actor.role === 'city_admin' || (actor.role === 'department_officer' && actor.departmentId === toDepartmentId)
    );
  }

  function actionsFor(ctx: RequestContext, c: CaseRow, pending: { to_department_id: number } | undefined) {
    const actions: CaseAction[] = [];
    const works = canWork(ctx, c);
    if (works || c.reporter_id === ctx.actor.userId || (pending && decidesReferral(ctx, pending.to_department_id)))
      actions.push('comment');
    if (works) {
      if (c.status === 'open') actions.push('acknowledge');
      if (c.status !== 'resolved') actions.push('assign');
      if (c.status !== 'resolved' && !pending) actions.push('refer');
      if (c.status === 'acknowledged') actions.push('resolve');
      if (c.status === 'resolved') actions.push('reopen');
    }
    if (pending && decidesReferral(ctx, pending.to_department_id)) actions.push('accept_referral', 'decline_referral');
    return actions;
  }

  /**
   * The caller reported the case and neither works it nor decides its referral: they are shown what
   * a reporter is told. Others who may see it (the district overseeing, a department that declined it)
   * see it whole.
   */
  function reporterOnly(ctx: RequestContext, c: CaseRow, pending: { to_department_id: number } | undefined) {
    return (
      c.reporter_id === ctx.actor.userId &&
      !canWork(ctx, c) &&
      !(pending && decidesReferral(ctx, pending.to_department_id))
    );
  }

  /** The case's household, masked, if the caller may see it; null if not (a reporter without household access). */
  async function householdFor(ctx: RequestContext, id: number) {
    try {
      const { members: _members, ...summary } = await households.getHousehold(ctx, id);
      return summary;
    } catch (err) {
      if (err instanceof DomainError && err.code === 'not_found') return null;
      throw err;
    }
  }

  async function getVisible(ctx: RequestContext, id: number): Promise<CaseRow> {
    const row = await visible(ctx).where('c.id', '=', id).executeTakeFirst();
    if (!row) throw notFound('case');
    return caseRow(row);
  }

  async function detail(ctx: RequestContext, id: number): Promise<CaseDetail> {
    const c = await getVisible(ctx, id);
    const [allEvents, allReferrals] = await Promise.all([
      kysely.selectFrom('case_events').selectAll().where('case_id', '=', id).orderBy('id').execute(),
      kysely
        .selectFrom('case_referrals as r')
        .innerJoin('departments as d', 'd.id', 'r.to_department_id')
        .selectAll('r')
        .select('d.name as department_name')
        .where('r.case_id', '=', id)
        .orderBy('r.id')
        .execute(),
    ]);
    const pending = allReferrals.find((r) => r.status === 'pending');
    const view = reporterOnly(ctx, c, pending) ? 'reporter' : 'full';
    const events = view === 'full' ? allEvents : allEvents.filter((e) => sharedWithReporter(e, ctx.actor.userId));
    const referrals = view === 'full' ? allReferrals : [];
    return {
      household: c.household_id === null ? null : await householdFor(ctx, c.household_id),
      ...summary(c, clock()),
      description: c.description,
      householdId: c.household_id,
      organizationId: c.organization_id,
      organizationName: c.organization_name,
      levelJurisdictionId: c.level_jurisdiction_id,
      acknowledgedAt: c.acknowledged_at,
      resolvedAt: c.resolved_at,
      escalatedAt: c.escalated_at,
      outcome: c.outcome,
      timeline: events.map((e) => ({
        id: e.id,
        kind: e.kind as CaseEventKind,
        actorName: e.actor_name,
        actorRole: e.actor_role,
        details: JSON.parse(e.details) as Record<string, unknown>,
        occurredAt: e.occurred_at,
      })),
      timelineView: view,
      referrals: referrals.map((r) => ({
        id: r.id,
        toDepartmentId: r.to_department_id,
        toDepartmentName: r.department_name,
        reason: r.reason,
        status: r.status,
        decisionNote: r.decision_note,
        createdByName: r.created_by_name,
        decidedByName: r.decided_by_name,
        createdAt: r.created_at,
        decidedAt: r.decided_at,
      })),
      actions: actionsFor(ctx, c, pending),
    };
  }

  async function addEvent(
    trx: Trx,
    caseId: number,
    kind: CaseEventKind,
    ctx: RequestContext | null,
    details: Record<string, unknown>,
    at: string,
  ) {
    await trx
      .insertInto('case_events')
      .values({
        case_id: caseId,
        kind,
        actor_id: ctx && ctx.actor.kind !== 'system' ? ctx.actor.userId : null,
        actor_name: ctx ? nameOf(ctx) : null,
        actor_role: ctx && ctx.actor.kind !== 'system' ? ctx.actor.role : null,
        details: JSON.stringify(details),
        occurred_at: at,
      })
      .execute();
  }

  /** Who handles the case at its subdistrict now: its department's officers or the center staff. */
  function handlers(c: Pick<CaseRow, 'queue' | 'department_id' | 'jurisdiction_id'>): NotificationAudience {
    return c.queue === 'department' && c.department_id
      ? { departmentId: c.department_id }
      : { jurisdictionId: c.jurisdiction_id, roles: ['center_staff'] };
  }

  function channelsFor(severity: string): NotificationChannel[] {
    return severity === 'critical' ? ['email', 'sms'] : ['email'];
  }

  /**
   * One step on a case: checks the caller may take it, updates the row only if nobody changed it
   * meanwhile (version), writes the timeline event and the audit event in one transaction.
   */
  async function step(
    ctx: RequestContext,
    id: number,
    check: (c: CaseRow) => void,
    apply: (
      trx: Trx,
      c: CaseRow,
      now: string,
    ) => Promise<{
      set: Updateable<CaseTable>;
      event: CaseEventKind;
      details: Record<string, unknown>;
      action: Parameters<typeof recordAudit>[2]['action'];
      changes?: AuditChange[];
    }>,
  ): Promise<CaseDetail> {
    const c = await getVisible(ctx, id);
    check(c);
    await loadName(ctx);
    await kysely.transaction().execute(async (trx) => {
      const now = clock().toISOString();
      const { set, event, details, action, changes } = await apply(trx, c, now);
      const updated = await trx
        .updateTable('cases')
        .set({ ...set, version: c.version + 1, updated_at: now })
        .where('id', '=', id)
        .where('version', '=', c.version)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1)
        throw new DomainError('conflict', 'Someone else changed this case just now; reload it and try again.');
      await addEvent(trx, id, event, ctx, details, now);
      await recordAudit(trx, auditContext(ctx), {
        action,
        entityType: 'case',
        entityId: id,
        jurisdiction: { id: c.jurisdiction_id, path: c.jurisdiction_path },
        changes,
        details,
      });
    });
    return detail(ctx, id);
  }

  const mustWork = (ctx: RequestContext) => (c: CaseRow) => {
    if (!canWork(ctx, c)) throw forbidden('You may not work this case.');
  };

  const escalations = createCaseEscalations({ kysely, clock, settings, addEvent, channelsFor, overdueWhere });

  return {
    settings,

    async createCase(ctx: RequestContext, body: CreateCaseBody): Promise<CaseDetail> {
      const errors: FieldError[] = [];
      const j = await kysely
        .selectFrom('jurisdictions')
        .select(['id', 'path', 'level', 'name'])
        .where('id', '=', body.jurisdictionId)
        .executeTakeFirst();
      if (!j || !inScope(ctx.actor, j.path))
        errors.push({ field: 'jurisdictionId', code: 'not_found', message: 'no such jurisdiction' });
      else if (j.level !== 'subdistrict')
        errors.push({ field: 'jurisdictionId', code: 'not_subdistrict', message: 'a case belongs to a subdistrict' });
      if (body.organizationId !== undefined) {
        try {
          await organizations.getOrganization(ctx, body.organizationId);
        } catch (err) {
          if (!(err instanceof DomainError) || err.code !== 'not_found') throw err;
          errors.push({ field: 'organizationId', code: 'not_found', message: 'no such organization' });
        }
      }
      if (body.householdId !== undefined) {
        try {
          const h = await households.loadHouseholdInScope(ctx, body.householdId);
          // A case is about a household of its own subdistrict (or a community under it).
          if (j && inScope(ctx.actor, j.path) && !h.jurisdictionPath.startsWith(j.path))
            errors.push({
              field: 'householdId',
              code: 'other_jurisdiction',
              message: 'the household belongs to another subdistrict',
            });
        } catch (err) {
          // Out of scope, or the caller may not read households: the same answer as missing.
          if (!(err instanceof DomainError) || err.code !== 'not_found') throw err;
          errors.push({ field: 'householdId', code: 'not_found', message: 'no such household' });
        }
      }
      if (errors.length || !j) throw invalidFields(errors);
      await loadName(ctx);

      const route = await settings.routeFor(body.category, j.path);
      const sla = await settings.slaFor(body.severity);
      const now = clock();
      const at = now.toISOString();
      const id = await kysely.transaction().execute(async (trx) => {
        const { id } = await trx
          .insertInto('cases')
          .values({
            category: body.category,
            severity: body.severity,
            description: body.description,
            status: 'open',
            jurisdiction_id: j.id,
            jurisdiction_path: j.path,
            household_id: body.householdId ?? null,
            organization_id: body.organizationId ?? null,
            reporter_id: ctx.actor.kind === 'system' ? null : ctx.actor.userId,
            reporter_name: nameOf(ctx),
            reporter_role: ctx.actor.role,
            queue: route.target,
            department_id: route.departmentId,
            level: 'subdistrict',
            level_jurisdiction_id: j.id,
            acknowledge_due_at: new Date(now.getTime() + sla.acknowledge * MINUTE).toISOString(),
            resolve_due_at: new Date(now.getTime() + sla.resolve * MINUTE).toISOString(),
            version: 1,
            created_at: at,
            updated_at: at,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await addEvent(trx, id, 'reported', ctx, { category: body.category, severity: body.severity }, at);
        await addEvent(
          trx,
          id,
          'routed',
          null,
          { queue: route.target, departmentName: route.departmentName, ruleId: route.ruleId },
          at,
        );
        await recordAudit(trx, auditContext(ctx), {
          action: 'case.create',
          entityType: 'case',
          entityId: id,
          jurisdiction: j,
          details: {
            category: body.category,
            severity: body.severity,
            queue: route.target,
            departmentId: route.departmentId,
            organizationId: body.organizationId ?? null,
            householdId: body.householdId ?? null,
          },
        });
        await notify(trx, {
          audience: handlers({ queue: route.target, department_id: route.departmentId, jurisdiction_id: j.id }),
          about: j,
          kind: 'case.assigned',
          title: `${j.name}新案件 #${id}`,
          params: { caseId: id, category: body.category, severity: body.severity, jurisdiction: j.name },
          link: `/cases/${id}`,
          channels: channelsFor(body.severity),
          exceptUserIds: [ctx.actor.userId],
        });
        return id;
      });
      return detail(ctx, id);
    },

    getCase: detail,

    async listCases(ctx: RequestContext, query: ListCasesQuery) {
      const now = clock();
      let q = visible(ctx)
        .orderBy('c.id', 'desc')
        .limit(query.limit + 1);
      if (query.jurisdictionId !== undefined) {
        const j = await kysely
          .selectFrom('jurisdictions')
          .select('path')
          .where('id', '=', query.jurisdictionId)
          .executeTakeFirst();
        // A jurisdiction outside the caller's subtree simply has no cases to show.
        q = q.where(inSubtree('c.jurisdiction_path', j && inScope(ctx.actor, j.path) ? j.path : '/none/'));
      }
      if (query.status) q = q.where('c.status', '=', query.status);
      if (query.overdue === 'true') q = q.where((eb) => overdueWhere(eb, now.toISOString()));
      if (query.overdue === 'false') q = q.where((eb) => eb.not(overdueWhere(eb, now.toISOString())));
      if (query.escalated === 'true') q = q.where('c.level', '!=', 'subdistrict');
      if (query.escalated === 'false') q = q.where('c.level', '=', 'subdistrict');
      if (query.cursor) q = q.where('c.id', '<', Number(query.cursor));
      const rows = (await q.execute()).map(caseRow);
      const more = rows.length > query.limit;
      const items = rows.slice(0, query.limit).map((r) => summary(r, now));
      return { items, nextCursor: more ? String(items[items.length - 1]!.id) : null };
    },

    acknowledgeCase: (ctx: RequestContext, id: number) =>
      step(
        ctx,
        id,
        (c) => {
          mustWork(ctx)(c);
          if (c.status !== 'open') throw invalidTransition(`A case that is ${c.status} cannot be acknowledged.`);
        },
        async (_trx, c, now) => ({
          set: { status: 'acknowledged', acknowledged_at: now },
          event: 'acknowledged',
          details: { level: c.level },
          action: 'case.acknowledge',
          changes: [{ field: 'status', before: c.status, after: 'acknowledged' }],
        }),
      ),

    resolveCase: (ctx: RequestContext, id: number, outcome: string) =>
      step(
        ctx,
        id,
        (c) => {
          mustWork(ctx)(c);
          if (c.status !== 'acknowledged')
            throw invalidTransition(
              c.status === 'open' ? 'Acknowledge the case before resolving it.' : 'This case is already resolved.',
            );
        },
        async (trx, c, now) => {
          if (c.reporter_id)
            await notify(trx, {
              audience: { userIds: [c.reporter_id] },
              about: { id: c.jurisdiction_id, path: c.jurisdiction_path },
              kind: 'case.resolved',
              title: `您上报的案件 #${c.id} 已办结`,
              params: { caseId: c.id },
              link: `/cases/${c.id}`,
              exceptUserIds: [ctx.actor.userId],
            });
          return {
            set: { status: 'resolved', resolved_at: now, outcome },
            event: 'resolved',
            details: { outcome },
            action: 'case.resolve',
            changes: [
              { field: 'status', before: c.status, after: 'resolved' },
              { field: 'outcome', before: c.outcome, after: outcome },
            ],
          };
        },
      ),

    async reopenCase(ctx: RequestContext, id: number, reason: string) {
      // Read before the transaction: on SQLite a query outside it would wait for it to end.
      const severity = (await getVisible(ctx, id)).severity;
      const sla = await settings.slaFor(severity);
      return step(
        ctx,
        id,
        (c) => {
          mustWork(ctx)(c);
          if (c.status !== 'resolved') throw invalidTransition('Only a resolved case can be reopened.');
        },
        async (trx, c, now) => {
          const t = Date.parse(now);
          await notify(trx, {
            audience: handlers(c),
            about: { id: c.jurisdiction_id, path: c.jurisdiction_path },
            kind: 'case.reopened',
            title: `案件 #${c.id} 已重新打开`,
            params: { caseId: c.id },
            link: `/cases/${c.id}`,
            exceptUserIds: [ctx.actor.userId],
          });
          return {
            set: {
              status: 'open',
              acknowledged_at: null,
              resolved_at: null,
              outcome: null,
              acknowledge_due_at: new Date(t + sla.acknowledge * MINUTE).toISOString(),
              resolve_due_at: new Date(t + sla.resolve * MINUTE).toISOString(),
            },
            event: 'reopened',
            details: { reason, previousOutcome: c.outcome },
            action: 'case.reopen',
            changes: [{ field: 'status', before: c.status, after: 'open' }],
          };
        },
      );
    },

    async assignCase(ctx: RequestContext, id: number, assigneeId: number) {
      return step(
        ctx,
        id,
        (c) => {
          mustWork(ctx)(c);
          if (c.status === 'resolved') throw invalidTransition('A resolved case cannot be assigned; reopen it first.');
        },
        async (trx, c) => {
          const u = await trx
            .selectFrom('users as u')
            .innerJoin('jurisdictions as j', 'j.id', 'u.jurisdiction_id')
            .select(['u.id', 'u.display_name', 'u.role', 'u.department_id', 'u.status', 'j.path'])
            .where('u.id', '=', assigneeId)
            .executeTakeFirst();
          const fits =
            u &&
            u.status === 'active' &&
            inScope(ctx.actor, u.path) &&
            c.jurisdiction_path.startsWith(u.path) &&
            (['center_staff', 'district_officer', 'city_admin'].includes(u.role) ||
              (u.role === 'department_officer' && u.department_id === c.department_id));
          if (!u || !fits)
            throw invalidFields([
              { field: 'assigneeId', code: 'not_eligible', message: 'not someone who can work this case' },
            ]);
          await notify(trx, {
            audience: { userIds: [u.id] },
            about: { id: c.jurisdiction_id, path: c.jurisdiction_path },
            kind: 'case.assigned',
            title: `案件 #${c.id} 已指派给您`,
            params: { caseId: c.id, category: c.category, severity: c.severity, jurisdiction: c.jurisdiction_name },
            link: `/cases/${c.id}`,
            exceptUserIds: [ctx.actor.userId],
          });
          return {
            set: { assignee_id: u.id, assignee_name: u.display_name },
            event: 'assigned',
            details: { assigneeName: u.display_name },
            action: 'case.assign',
            changes: [{ field: 'assignee', before: c.assignee_name, after: u.display_name }],
          };
        },
      );
    },

    /** Users the case may be assigned to: staff above or at its subdistrict in the caller's scope, or its department's officers. */
    async listCaseAssignees(ctx: RequestContext, id: number) {
      const c = await getVisible(ctx, id);
      mustWork(ctx)(c);
      const ancestors = c.jurisdiction_path.split('/').filter(Boolean).map(Number);
      const rows = await kysely
        .selectFrom('users as u')
        .innerJoin('jurisdictions as j', 'j.id', 'u.jurisdiction_id')
        .select(['u.id', 'u.display_name', 'u.role', 'u.department_id', 'j.name', 'j.path'])
        .where('u.status', '=', 'active')
        .where('u.jurisdiction_id', 'in', ancestors)
        .where('u.role', 'in', ['center_staff', 'district_officer', 'city_admin', 'department_officer'])
        .orderBy('j.path')
        .orderBy('u.display_name')
        .execute();
      return {
        items: rows
          .filter(
            (u) =>
              inScope(ctx.actor, u.path) &&
              (u.role !== 'department_officer' || (c.department_id !== null && u.department_id === c.department_id)),
          )
          .map((u) => ({ id: u.id, displayName: u.display_name, role: u.role, jurisdictionName: u.name })),
      };
    },

    /** Departments at the case's subdistrict or above it (whose officers can see it), but not its own. */
    async listCaseReferralTargets(ctx: RequestContext, id: number) {
      const c = await getVisible(ctx, id);
      mustWork(ctx)(c);
      const ancestors = c.jurisdiction_path.split('/').filter(Boolean).map(Number);
      const rows = await kysely
        .selectFrom('departments as d')
        .innerJoin('jurisdictions as j', 'j.id', 'd.jurisdiction_id')
        .select(['d.id', 'd.name', 'j.name as jurisdiction_name'])
        .where('d.jurisdiction_id', 'in', ancestors)
        .orderBy('j.path', 'desc')
        .orderBy('d.name')
        .execute();
      return {
        items: rows
          .filter((d) => d.id !== c.department_id)
          .map((d) => ({ id: d.id, name: d.name, jurisdictionName: d.jurisdiction_name })),
      };
    },

    /**
     * A comment. Those working the case write internal notes unless `toReporter` shares one with the
     * person who reported it (who is then told); a reporter's own comments go to those working it.
     */
    async commentCase(ctx: RequestContext, id: number, body: { text: string; toReporter?: boolean }) {
      return step(
        ctx,
        id,
        () => {},
        async (trx, c) => {
          const pending = await pendingReferral(trx, c.id);
          if (!actionsFor(ctx, c, pending).includes('comment')) throw forbidden('You may not comment on this case.');
          const toReporter = body.toReporter === true && !reporterOnly(ctx, c, pending) && c.reporter_id !== null;
          if (toReporter)
            await notify(trx, {
              audience: { userIds: [c.reporter_id!] },
              about: { id: c.jurisdiction_id, path: c.jurisdiction_path },
              kind: 'case.comment_to_reporter',
              title: `您上报的案件 #${c.id} 有新的回复`,
              params: { caseId: c.id },
              link: `/cases/${c.id}`,
              exceptUserIds: [ctx.actor.userId],
            });
          return {
            set: {},
            event: 'commented',
            details: toReporter ? { text: body.text, toReporter: true } : { text: body.text },
            action: 'case.comment',
          };
        },
      );
    },

    async referCase(ctx: RequestContext, id: number, departmentId: number, reason: string) {
      return step(
        ctx,
        id,
        (c) => {
          mustWork(ctx)(c);
          if (c.status === 'resolved') throw invalidTransition('A resolved case cannot be referred.');
        },
        async (trx, c, now) => {
          const d = await trx
            .selectFrom('departments as d')
            .innerJoin('jurisdictions as j', 'j.id', 'd.jurisdiction_id')
            .select(['d.id', 'd.name', 'j.path'])
            .where('d.id', '=', departmentId)
            .executeTakeFirst();
          // Only a department whose officers can see the case: at its subdistrict or above it.
          if (!d || !c.jurisdiction_path.startsWith(d.path))
            throw invalidFields([{ field: 'departmentId', code: 'not_found', message: 'no such department here' }]);
          if (d.id === c.department_id)
            throw invalidFields([
              { field: 'departmentId', code: 'same_department', message: 'the case is already with this department' },
            ]);
          if (await pendingReferral(trx, c.id))
            throw new DomainError('conflict', 'A referral of this case is waiting for an answer.');
          await trx
            .insertInto('case_referrals')
            .values({
              case_id: c.id,
              to_department_id: d.id,
              reason,
              status: 'pending',
              created_by_name: nameOf(ctx),
              created_at: now,
            })
            .execute();
          await notify(trx, {
            audience: { departmentId: d.id },
            about: { id: c.jurisdiction_id, path: c.jurisdiction_path },
            kind: 'case.referred',
            title: `案件 #${c.id} 转办至${d.name}，请接收或退回`,
            params: { caseId: c.id, department: d.name },
            link: `/cases/${c.id}`,
            channels: channelsFor(c.severity),
          });
          return {
            set: {},
            event: 'referred',
            details: { departmentId: d.id, departmentName: d.name, reason },
            action: 'case.refer',
          };
        },
      );
    },

    async decideReferral(ctx: RequestContext, id: number, decision: 'accept' | 'decline', reason?: string) {
      return step(
        ctx,
        id,
        () => {},
        async (trx, c, now) => {
          const r = await pendingReferral(trx, c.id);
          if (!r) throw invalidTransition('No referral of this case is waiting for an answer.');
          if (!decidesReferral(ctx, r.to_department_id))
            throw forbidden('Only the department the case was referred to answers the referral.');
          await trx
            .updateTable('case_referrals')
            .set({
              status: decision === 'accept' ? 'accepted' : 'declined',
              decision_note: reason ?? null,
              decided_by_name: nameOf(ctx),
              decided_at: now,
            })
            .where('id', '=', r.id)
            .execute();
          if (decision === 'decline') {
            await notify(trx, {
              audience: handlers(c),
              about: { id: c.jurisdiction_id, path: c.jurisdiction_path },
              kind: 'case.referral_declined',
              title: `${r.department_name}退回了案件 #${c.id} 的转办`,
              params: { caseId: c.id, department: r.department_name },
              link: `/cases/${c.id}`,
              exceptUserIds: [ctx.actor.userId],
            });
            return {
              set: {},
              event: 'referral_declined',
              details: { departmentName: r.department_name, reason },
              action: 'case.referral_decline',
            };
          }
          return {
            set: { queue: 'department', department_id: r.to_department_id, assignee_id: null, assignee_name: null },
            event: 'referral_accepted',
            details: { departmentName: r.department_name },
            action: 'case.referral_accept',
            changes: [
              { field: 'departmentId', before: c.department_id, after: r.to_department_id },
              { field: 'queue', before: c.queue, after: 'department' },
            ],
          };
        },
      );
    },

    /**
     * Escalates every case whose acknowledge or resolve deadline has passed one level up the tree
     * (subdistrict → district → city). Idempotent: the new level gets a fresh window, so running
     * again at the same moment finds nothing to do; a case already at the city stays there.
     */
    runEscalations: (ctx: RequestContext | null) => escalations.runEscalations(ctx),

    /** Open, overdue and escalated cases per subdistrict of the caller's subtree. */
    async caseStats(ctx: RequestContext, jurisdictionId?: number): Promise<CaseStats> {
      let prefix = ctx.actor.scopePath;
      if (jurisdictionId !== undefined) {
        const j = await kysely
          .selectFrom('jurisdictions')
          .select('path')
          .where('id', '=', jurisdictionId)
          .executeTakeFirst();
        if (!j || !inScope(ctx.actor, j.path)) throw notFound('jurisdiction');
        prefix = j.path;
      }
      const at = clock().toISOString();
      const rows = await kysely
        .selectFrom('cases as c')
        .innerJoin('jurisdictions as j', 'j.id', 'c.jurisdiction_id')
        .select((eb) => [
          'c.jurisdiction_id',
          'j.name',
          'j.name_en',
          eb.fn.countAll<number>().as('open'),
          eb.fn.sum<number>(eb.case().when(overdueWhere(eb, at)).then(1).else(0).end()).as('overdue'),
          eb.fn.sum<number>(eb.case().when('c.level', '!=', 'subdistrict').then(1).else(0).end()).as('escalated'),
        ])
        .where(inSubtree('c.jurisdiction_path', prefix))
        .where('c.status', '!=', 'resolved')
        .groupBy(['c.jurisdiction_id', 'j.name', 'j.name_en'])
        .orderBy('j.name')
        .execute();
      const bySubdistrict = rows.map((r) => ({
        jurisdictionId: r.jurisdiction_id,
        name: r.name,
        nameEn: r.name_en,
        open: Number(r.open),
        overdue: Number(r.overdue),
        escalated: Number(r.escalated),
      }));
      const sum = (k: 'open' | 'overdue' | 'escalated') => bySubdistrict.reduce((n, r) => n + r[k], 0);
      return { bySubdistrict, totals: { open: sum('open'), overdue: sum('overdue'), escalated: sum('escalated') } };
    },
  };
}

export type CaseService = ReturnType<typeof createCaseService>;
