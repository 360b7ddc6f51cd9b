import { containsPattern } from '../../db/dialect.js';
import { maskPhone } from '@qiao/contracts';
import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import { nowIso, type Executor } from '../../db/database.js';
import type { VolunteerHoursTable, VolunteerTable } from '../../db/schema.js';
import { diffChanges, recordAudit } from '../../platform/audit/audit-log.js';
import type { Deps } from '../../platform/deps.js';
import { DomainError, invalidFields, notFound } from '../../platform/errors.js';
import { auditContext, inScope, inSubtree, type RequestContext } from '../../platform/scope.js';
import { shanghaiToday } from '../households/household-rules.js';
import type { HouseholdService } from '../households/households.service.js';
import { pointsForMinutes } from './time-bank.js';

const PII_KEY = 'volunteer-pii';

/** Where approved hours of a household's member are posted as points: the supermarket's points ledger. */
export interface TimeBankLedger {
  creditTimeBank(
    trx: Executor,
    ctx: RequestContext,
    input: { householdId: number; points: number; reason: string; reference: string },
  ): Promise<unknown>;
}

type VolunteerRow = Selectable<VolunteerTable>;
type HoursRow = Selectable<VolunteerHoursTable> & { volunteer_name: string };

/**
 * Volunteers and mutual aid: residents (beneficiaries too) who give time, their shifts, hours
 * logged and approved by center staff, converted to points at the city's rate (the time bank).
 */
export function createVolunteerService({ db, keyring }: Deps, households: HouseholdService, timeBank: TimeBankLedger) {
  const kysely = db.kysely;

  async function getVisible(ctx: RequestContext, id: number, executor: Executor = kysely): Promise<VolunteerRow> {
    const row = await executor.selectFrom('volunteers').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || !inScope(ctx.actor, row.jurisdiction_path)) throw notFound('volunteer');
    return row;
  }

  async function totals(executor: Executor, ids: number[]) {
    if (!ids.length) return new Map<number, { minutes: number; points: number }>();
    const rows = await executor
      .selectFrom('volunteer_hours')
      .select((eb) => [
        'volunteer_id',
        eb.fn.sum<number>('minutes').as('minutes'),
        eb.fn.coalesce(eb.fn.sum<number>('points'), eb.lit(0)).as('points'),
      ])
      .where('volunteer_id', 'in', ids)
      .where('status', '=', 'approved')
      .groupBy('volunteer_id')
      .execute();
    return new Map(rows.map((r) => [r.volunteer_id, { minutes: Number(r.minutes), points: Number(r.points) }]));
  }

  async function presentMany(executor: Executor, rows: VolunteerRow[]) {
    const sums = await totals(
      executor,
      rows.map((r) => r.id),
    );
    return rows.map((r) => ({
      id: r.id,
      jurisdictionId: r.jurisdiction_id,
      name: r.name,
      phone: r.phone_masked,
      householdId: r.household_id,
      skills: r.skills,
      status: r.status as 'active' | 'inactive',
      approvedMinutes: sums.get(r.id)?.minutes ?? 0,
      earnedPoints: sums.get(r.id)?.points ?? 0,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }
  const present = async (executor: Executor, row: VolunteerRow) => (await presentMany(executor, [row]))[0]!;

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
    decidedBy: h.decided_by_name,
    decidedAt: h.decided_at,
    points: h.points,
    createdAt: h.created_at,
  });

  const selectHours = (executor: Executor) =>
    executor
      .selectFrom('volunteer_hours as h')
      .innerJoin('volunteers as v', 'v.id', 'h.volunteer_id')
      .selectAll('h')
      .select('v.name as volunteer_name');

  async function getHours(ctx: RequestContext, id: number, executor: Executor = kysely): Promise<HoursRow> {
    const row = await selectHours(executor).where('h.id', '=', id).executeTakeFirst();
    if (!row || !inScope(ctx.actor, row.jurisdiction_path)) throw notFound('volunteer hours');
    return row;
  }

  /** A household the actor may see, as a field error when not. */
  async function householdField(ctx: RequestContext, householdId: number) {
    try {
      return await households.loadHouseholdInScope(ctx, householdId);
    } catch (e) {
      if (e instanceof DomainError && e.code === 'not_found')
        throw invalidFields([{ field: 'householdId', code: 'not_found', message: 'no such household' }]);
      throw e;
    }
  }

  async function subdistrictField(ctx: RequestContext, jurisdictionId: number) {
    const j = await kysely
      .selectFrom('jurisdictions')
      .select(['id', 'path', 'level'])
      .where('id', '=', jurisdictionId)
      .executeTakeFirst();
    if (!j || !inScope(ctx.actor, j.path))
      throw invalidFields([{ field: 'jurisdictionId', code: 'not_found', message: 'no such jurisdiction' }]);
    if (j.level !== 'subdistrict')
      throw invalidFields([
        { field: 'jurisdictionId', code: 'level_mismatch', message: 'volunteers serve a subdistrict' },
      ]);
    return j;
  }

  const phoneCols = (phone: string | null) => ({
    phone_sealed: phone ? keyring.encrypt(PII_KEY, phone) : null,
    phone_masked: phone ? maskPhone(phone) : null,
  });

  const fields = ['name', 'phone', 'householdId', 'skills', 'status'] as const;

  return {
    async createVolunteer(
      ctx: RequestContext,
      body: { name: string; jurisdictionId: number; phone?: string; householdId?: number; skills?: string },
    ) {
      const j = await subdistrictField(ctx, body.jurisdictionId);
      if (body.householdId) await householdField(ctx, body.householdId);
      const id = await kysely.transaction().execute(async (trx) => {
        const now = nowIso();
        const { id } = await trx
          .insertInto('volunteers')
          .values({
            jurisdiction_id: j.id,
            jurisdiction_path: j.path,
            name: body.name,
            ...phoneCols(body.phone ?? null),
            household_id: body.householdId ?? null,
            skills: body.skills ?? null,
            status: 'active',
            created_at: now,
            updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const after = await present(trx, (await getVisible(ctx, id, trx))!);
        await recordAudit(trx, auditContext(ctx), {
          action: 'volunteer.create',
          entityType: 'volunteer',
          entityId: id,
          jurisdiction: { id: j.id, path: j.path },
          changes: diffChanges(null, after, fields),
        });
        return id;
      });
      return present(kysely, await getVisible(ctx, id));
    },

    async getVolunteer(ctx: RequestContext, id: number) {
      return present(kysely, await getVisible(ctx, id));
    },

    async updateVolunteer(
      ctx: RequestContext,
      id: number,
      body: {
        name?: string;
        phone?: string | null;
        householdId?: number | null;
        skills?: string | null;
        status?: 'active' | 'inactive';
      },
    ) {
      const row = await getVisible(ctx, id);
      if (body.householdId) await householdField(ctx, body.householdId);
      await kysely.transaction().execute(async (trx) => {
        const before = await present(trx, row);
        await trx
          .updateTable('volunteers')
          .set({
            ...(body.name !== undefined ? { name: body.name } : {}),
            ...(body.phone !== undefined ? phoneCols(body.phone) : {}),
            ...(body.householdId !== undefined ? { household_id: body.householdId } : {}),
            ...(body.skills !== undefined ? { skills: body.skills } : {}),
            ...(body.status !== undefined ? { status: body.status } : {}),
            updated_at: nowIso(),
          })
          .where('id', '=', id)
          .execute();
        const after = await present(trx, (await getVisible(ctx, id, trx))!);
        await recordAudit(trx, auditContext(ctx), {
          action: 'volunteer.update',
          entityType: 'volunteer',
          entityId: id,
          jurisdiction: { id: row.jurisdiction_id, path: row.jurisdiction_path },
          changes: diffChanges(before, after, fields),
        });
      });
      return present(kysely, await getVisible(ctx, id));
    },

    async listVolunteers(ctx: RequestContext, query: { q?: string; status?: string; limit: number; cursor?: string }) {
      let sel = kysely
        .selectFrom('volunteers')
        .selectAll()
        .where(inSubtree('jurisdiction_path', ctx.actor.scopePath))
        .orderBy('id', 'desc')
        .limit(query.limit + 1);
      if (query.q) {
        sel = sel.where(sql<boolean>`name like ${containsPattern(query.q)} escape '\\'`);
      }
      if (query.status) sel = sel.where('status', '=', query.status);
      if (query.cursor) sel = sel.where('id', '<', Number(query.cursor));
      const rows = await sel.execute();
      const page = rows.slice(0, query.limit);
      return {
        items: await presentMany(kysely, page),
        nextCursor: rows.length > query.limit ? String(page[page.length - 1]!.id) : null,
      };
    },

    async createShift(
      ctx: RequestContext,
      body: { jurisdictionId: number; title: string; place?: string; startsAt: string; endsAt: string },
    ) {
      const j = await subdistrictField(ctx, body.jurisdictionId);
      const startsAt = new Date(body.startsAt).toISOString();
      const endsAt = new Date(body.endsAt).toISOString();
      if (endsAt <= startsAt)
        throw invalidFields([{ field: 'endsAt', code: 'before_start', message: 'a shift ends after it starts' }]);
      if (Date.parse(endsAt) - Date.parse(startsAt) > 24 * 3_600_000)
        throw invalidFields([{ field: 'endsAt', code: 'too_long', message: 'a shift lasts at most a day' }]);
      const id = await kysely.transaction().execute(async (trx) => {
        const { id } = await trx
          .insertInto('volunteer_shifts')
          .values({
            jurisdiction_id: j.id,
            jurisdiction_path: j.path,
            title: body.title,
            place: body.place ?? null,
            starts_at: startsAt,
            ends_at: endsAt,
            created_at: nowIso(),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await recordAudit(trx, auditContext(ctx), {
          action: 'volunteer_shift.create',
          entityType: 'volunteer_shift',
          entityId: id,
          jurisdiction: { id: j.id, path: j.path },
          details: { title: body.title, startsAt, endsAt },
        });
        return id;
      });
      const s = await kysely.selectFrom('volunteer_shifts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      return presentShift(s);
    },

    async listShifts(ctx: RequestContext, query: { from?: string; limit: number; cursor?: string }) {
      let sel = kysely
        .selectFrom('volunteer_shifts')
        .selectAll()
        .where(inSubtree('jurisdiction_path', ctx.actor.scopePath))
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

    /** Logs hours for approval; a day's minutes for one volunteer never pass 24 hours. */
    async logHours(
      ctx: RequestContext,
      body: { volunteerId: number; shiftId?: number; workedOn: string; minutes: number; description?: string },
    ) {
      const volunteer = await getVisible(ctx, body.volunteerId).catch(() => {
        throw invalidFields([{ field: 'volunteerId', code: 'not_found', message: 'no such volunteer' }]);
      });
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
          details: { volunteerId: volunteer.id, workedOn: body.workedOn, minutes: body.minutes },
        });
        return id;
      });
      return presentHours(await getHours(ctx, id));
    },

    async listHours(
      ctx: RequestContext,
      query: { status?: string; volunteerId?: number; limit: number; cursor?: string },
    ) {
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
    },

    /**
     * Approves pending hours and fixes the points they are worth at today's rate. Until the points
     * ledger exists the points stay on the approved hours (the time bank's balance is their sum).
     */
    async decideHours(ctx: RequestContext, id: number, decision: 'approve' | 'reject', reason?: string) {
      const row = await getHours(ctx, id);
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
            decided_by_id: ctx.actor.kind === 'system' ? null : ctx.actor.userId,
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
  };
}

function presentShift(s: {
  id: number;
  jurisdiction_id: number;
  title: string;
  place: string | null;
  starts_at: string;
  ends_at: string;
  created_at: string;
}) {
  return {
    id: s.id,
    jurisdictionId: s.jurisdiction_id,
    title: s.title,
    place: s.place,
    startsAt: s.starts_at,
    endsAt: s.ends_at,
    createdAt: s.created_at,
  };
}

export type VolunteerService = ReturnType<typeof createVolunteerService>;
