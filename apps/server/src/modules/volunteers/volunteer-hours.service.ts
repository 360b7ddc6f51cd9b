import type { Selectable } from 'kysely';
import { nowIso, type Executor } from '../../db/database.js';
import type { VolunteerHoursTable } from '../../db/schema.js';
import { recordAudit } from '../../platform/audit/audit-log.js';
import type { Deps } from '../../platform/deps.js';
import { DomainError, invalidFields, notFound } from '../../platform/errors.js';
import { auditContext, inScope, inSubtree, type RequestContext } from '../../platform/scope.js';
import { shanghaiToday } from '../households/household-rules.js';
import type { HouseholdService } from '../households/households.service.js';
import { pointsForMinutes } from './time-bank.js';
import { presentShift, type VolunteerRow, type VolunteerService } from './volunteers.service.js';

/** Where approved hours of a household's member are posted as points: the supermarket's points ledger. */
export interface TimeBankLedger {
  creditTimeBank(
    trx: Executor,
    ctx: RequestContext,
    input: { householdId: number; points: number; reason: string; reference: string },
  ): Promise<unknown>;
}

type HoursRow = Selectable<VolunteerHoursTable> & { volunteer_name: string; volunteer_user_id: number | null };

interface LogBody {
  shiftId?: number;
  workedOn: string;
  minutes: number;
  description?: string;
}
interface HoursQuery {
  status?: string;
  volunteerId?: number;
  limit: number;
  cursor?: string;
}

const actorId = (ctx: RequestContext) => (ctx.actor.kind === 'system' ? null : ctx.actor.userId);

/**
 * Hours volunteers gave: logged by center staff or by the volunteer through their own linked account
 * (ADR 0017), pending until someone else approves them; approval converts them to points at the
 * city's rate (the time bank) and, for a member of a household in hardship, posts them to its ledger.
 */
export function createVolunteerHoursService(
  { db }: Deps,
  volunteers: VolunteerService,
  households: HouseholdService,
  timeBank: TimeBankLedger,
) {
  const kysely = db.kysely;

  const presentHours = (h: HoursRow) => ({
    id: h.id,
    volunteerId: h.volunteer_id,
    volunteerName: h.volunteer_name,
    shiftId: h.shift_id,
    workedOn: h.worked_on,
    minutes: h.minutes,
    description: h.description,
    status: h.status as 'pending' | 'approved' | 'rejected',
    loggedBy: h.logged_by_name,
    selfLogged: h.logged_by_id !== null && h.logged_by_id === h.volunteer_user_id,
    decidedBy: h.decided_by_name,
    decidedAt: h.decided_at,
    decisionNote: h.decision_note,
    points: h.points,
    createdAt: h.created_at,
  });

  const selectHours = (executor: Executor) =>
    executor
      .selectFrom('volunteer_hours as h')
      .innerJoin('volunteers as v', 'v.id', 'h.volunteer_id')
      .selectAll('h')
      .select(['v.name as volunteer_name', 'v.user_id as volunteer_user_id']);

  async function getHours(ctx: RequestContext, id: number, executor: Executor = kysely): Promise<HoursRow> {
    const row = await selectHours(executor).where('h.id', '=', id).executeTakeFirst();
    if (!row || !inScope(ctx.actor, row.jurisdiction_path)) throw notFound('volunteer hours');
    return row;
  }

  /** The caller's own volunteer record: linked to their account and still in their scope, else 404. */
  async function mine(ctx: RequestContext): Promise<VolunteerRow> {
    const id = actorId(ctx);
    const row =
      id === null
        ? undefined
        : await kysely.selectFrom('volunteers').selectAll().where('user_id', '=', id).executeTakeFirst();
    if (!row || !inScope(ctx.actor, row.jurisdiction_path)) throw notFound('volunteer record of this account');
    return row;
  }

  async function listPage(ctx: RequestContext, query: HoursQuery) {
    let sel = selectHours(kysely)
      .where(inSubtree('h.jurisdiction_path', ctx.actor.scopePath))
      .orderBy('h.id', 'desc')
      .limit(query.limit + 1);
    if (query.status) sel = sel.where('h.status', '=', query.status);
    if (query.volunteerId) sel = sel.where('h.volunteer_id', '=', query.volunteerId);
    if (query.cursor) sel = sel.where('h.id', '<', Number(query.cursor));
    const rows = await sel.execute();
    const page = rows.slice(0, query.limit);
    return {
      items: page.map(presentHours),
      nextCursor: rows.length > query.limit ? String(page[page.length - 1]!.id) : null,
    };
  }

  /** Logs hours of `volunteer` for approval; a day's minutes for one volunteer never pass 24 hours. */
  async function insertHours(ctx: RequestContext, volunteer: VolunteerRow, body: LogBody) {
    if (volunteer.status !== 'active')
      throw invalidFields([{ field: 'volunteerId', code: 'inactive', message: 'this volunteer is inactive' }]);
    if (body.workedOn > shanghaiToday())
      throw invalidFields([{ field: 'workedOn', code: 'in_future', message: 'hours cannot be logged ahead' }]);
    if (body.shiftId) {
      const shift = await kysely
        .selectFrom('volunteer_shifts')
        .select(['id', 'jurisdiction_path'])
        .where('id', '=', body.shiftId)
        .executeTakeFirst();
      if (!shift || !inScope(ctx.actor, shift.jurisdiction_path))
        throw invalidFields([{ field: 'shiftId', code: 'not_found', message: 'no such shift' }]);
    }
    const id = await kysely.transaction().execute(async (trx) => {
      // The volunteer's row serializes logging, so the day's total check holds under concurrency.
      await trx
        .updateTable('volunteers')
        .set((eb) => ({ updated_at: eb.ref('updated_at') }))
        .where('id', '=', volunteer.id)
        .execute();
      const day = await trx
        .selectFrom('volunteer_hours')
        .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('minutes'), eb.lit(0)).as('minutes'))
        .where('volunteer_id', '=', volunteer.id)
        .where('worked_on', '=', body.workedOn)
        .where('status', '!=', 'rejected')
        .executeTakeFirstOrThrow();
      if (Number(day.minutes) + body.minutes > 1440)
        throw invalidFields([
          { field: 'minutes', code: 'day_exceeded', message: 'more than 24 hours would be logged for that day' },
        ]);
      const { id } = await trx
        .insertInto('volunteer_hours')
        .values({
          volunteer_id: volunteer.id,
          shift_id: body.shiftId ?? null,
          jurisdiction_path: volunteer.jurisdiction_path,
          worked_on: body.workedOn,
          minutes: body.minutes,
          description: body.description ?? null,
          status: 'pending',
          logged_by_id: actorId(ctx),
          logged_by_name: ctx.actor.username,
          decided_by_id: null,
          decided_by_name: null,
          decided_at: null,
          decision_note: null,
          points: null,
          created_at: nowIso(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(trx, auditContext(ctx), {
        action: 'volunteer_hours.log',
        entityType: 'volunteer_hours',
        entityId: id,
        jurisdiction: { id: volunteer.jurisdiction_id, path: volunteer.jurisdiction_path },
        details: {
          volunteerId: volunteer.id,
          workedOn: body.workedOn,
          minutes: body.minutes,
          selfLogged: volunteer.user_id !== null && volunteer.user_id === actorId(ctx),
        },
      });
      return id;
    });
    return presentHours(await getHours(ctx, id));
  }

  return {
    /** Staff log hours for a volunteer of their subtree. */
    async logHours(ctx: RequestContext, body: LogBody & { volunteerId: number }) {
      const volunteer = await volunteers.loadVisible(ctx, body.volunteerId).catch(() => {
        throw invalidFields([{ field: 'volunteerId', code: 'not_found', message: 'no such volunteer' }]);
      });
      return insertHours(ctx, volunteer, body);
    },

    listHours: listPage,

    /**
     * Approves or returns pending hours; approval fixes the points they are worth at today's rate.
     * Nobody decides the hours of their own volunteer record (409 distinct_approver_required).
     */
    async decideHours(ctx: RequestContext, id: number, decision: 'approve' | 'reject', reason?: string) {
      const row = await getHours(ctx, id);
      if (row.volunteer_user_id !== null && row.volunteer_user_id === actorId(ctx))
        throw new DomainError('distinct_approver_required', 'Someone else must decide your own hours.');
      if (row.status !== 'pending')
        throw new DomainError('invalid_transition', `Hours that are ${row.status} cannot be decided again.`);
      const rate = (await households.getSettings()).volunteerPointsPerHour;
      await kysely.transaction().execute(async (trx) => {
        const points = decision === 'approve' ? pointsForMinutes(row.minutes, rate) : null;
        const status = decision === 'approve' ? 'approved' : 'rejected';
        const res = await trx
          .updateTable('volunteer_hours')
          .set({
            status,
            points,
            decided_by_id: actorId(ctx),
            decided_by_name: ctx.actor.username,
            decided_at: nowIso(),
            decision_note: reason ?? null,
          })
          .where('id', '=', id)
          .where('status', '=', 'pending')
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1)
          throw new DomainError('invalid_transition', 'These hours were decided meanwhile; reload them.');
        const volunteer = await trx
          .selectFrom('volunteers')
          .select(['jurisdiction_id', 'jurisdiction_path', 'household_id'])
          .where('id', '=', row.volunteer_id)
          .executeTakeFirstOrThrow();
        // A volunteer of a household in hardship: the points go to the household's ledger, in this
        // transaction. Others keep their points on the approved hours (their time-bank balance).
        const posted = points !== null && points > 0 && volunteer.household_id !== null;
        if (posted)
          await timeBank.creditTimeBank(trx, ctx, {
            householdId: volunteer.household_id!,
            points: points!,
            reason: `time bank: ${row.minutes} min by volunteer ${row.volunteer_id}`,
            reference: `volunteer_hours:${id}`,
          });
        await recordAudit(trx, auditContext(ctx), {
          action: decision === 'approve' ? 'volunteer_hours.approve' : 'volunteer_hours.reject',
          entityType: 'volunteer_hours',
          entityId: id,
          jurisdiction: { id: volunteer.jurisdiction_id, path: volunteer.jurisdiction_path },
          changes: [{ field: 'status', before: 'pending', after: status }],
          details: {
            volunteerId: row.volunteer_id,
            minutes: row.minutes,
            points,
            rate,
            postedToHousehold: posted ? volunteer.household_id : null,
            ...(reason ? { reason } : {}),
          },
        });
      });
      return presentHours(await getHours(ctx, id));
    },

    /** The caller's own volunteer record, with approved hours and points. */
    async getMine(ctx: RequestContext) {
      return volunteers.present(kysely, await mine(ctx));
    },

    async listMyHours(ctx: RequestContext, query: Omit<HoursQuery, 'volunteerId'>) {
      return listPage(ctx, { ...query, volunteerId: (await mine(ctx)).id });
    },

    /** A volunteer logs their own hours; they stay pending until someone else approves them. */
    async logMyHours(ctx: RequestContext, body: LogBody) {
      return insertHours(ctx, await mine(ctx), body);
    },

    /** Shifts of the caller's subdistrict (where their volunteer record serves), newest first. */
    async listMyShifts(ctx: RequestContext, query: { from?: string; limit: number; cursor?: string }) {
      const me = await mine(ctx);
      let sel = kysely
        .selectFrom('volunteer_shifts')
        .selectAll()
        .where('jurisdiction_path', '=', me.jurisdiction_path)
        .orderBy('id', 'desc')
        .limit(query.limit + 1);
      if (query.from) sel = sel.where('ends_at', '>=', new Date(query.from).toISOString());
      if (query.cursor) sel = sel.where('id', '<', Number(query.cursor));
      const rows = await sel.execute();
      const page = rows.slice(0, query.limit);
      return {
        items: page.map(presentShift),
        nextCursor: rows.length > query.limit ? String(page[page.length - 1]!.id) : null,
      };
    },
  };
}

export type VolunteerHoursService = ReturnType<typeof createVolunteerHoursService>;
