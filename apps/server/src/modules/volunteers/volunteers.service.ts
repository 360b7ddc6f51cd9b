import { containsPattern } from '../../db/dialect.js';
import { maskPhone } from '@qiao/contracts';
import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import { nowIso, type Executor } from '../../db/database.js';
import type { VolunteerTable } from '../../db/schema.js';
import { diffChanges, recordAudit } from '../../platform/audit/audit-log.js';
import type { Deps } from '../../platform/deps.js';
import { DomainError, invalidFields, notFound } from '../../platform/errors.js';
import { auditContext, inScope, inSubtree, type RequestContext } from '../../platform/scope.js';
import { isUniqueViolation } from '../../db/dialect.js';
import type { HouseholdService } from '../households/households.service.js';

const PII_KEY = 'volunteer-pii';

export type VolunteerRow = Selectable<VolunteerTable>;

/**
 * Volunteers and mutual aid: residents (beneficiaries too) who give time, their shifts, hours
 * logged and approved by center staff, converted to points at the city's rate (the time bank).
 */
export function createVolunteerService({ db, keyring }: Deps, households: HouseholdService) {
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
    const userIds = rows.flatMap((r) => (r.user_id === null ? [] : [r.user_id]));
    const usernames = new Map(
      userIds.length
        ? (await executor.selectFrom('users').select(['id', 'username']).where('id', 'in', userIds).execute()).map(
            (u) => [u.id, u.username],
          )
        : [],
    );
    return rows.map((r) => ({
      id: r.id,
      jurisdictionId: r.jurisdiction_id,
      name: r.name,
      phone: r.phone_masked,
      householdId: r.household_id,
      skills: r.skills,
      status: r.status as 'active' | 'inactive',
      userId: r.user_id,
      username: r.user_id === null ? null : (usernames.get(r.user_id) ?? null),
      approvedMinutes: sums.get(r.id)?.minutes ?? 0,
      earnedPoints: sums.get(r.id)?.points ?? 0,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }
  const present = async (executor: Executor, row: VolunteerRow) => (await presentMany(executor, [row]))[0]!;

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

  /**
   * The account to link as a field error when it may not be: a user of the volunteer role whom the
   * actor sees, placed where the volunteer serves (so they see their own record), linked to no other.
   */
  async function userField(ctx: RequestContext, userId: number, volunteerPath: string, volunteerId = 0) {
    const u = await kysely
      .selectFrom('users as u')
      .innerJoin('jurisdictions as j', 'j.id', 'u.jurisdiction_id')
      .select(['u.id', 'u.role', 'j.path'])
      .where('u.id', '=', userId)
      .executeTakeFirst();
    const err = (code: string, message: string) => invalidFields([{ field: 'userId', code, message }]);
    if (!u || !inScope(ctx.actor, u.path)) throw err('not_found', 'no such user');
    if (u.role !== 'volunteer') throw err('role_mismatch', 'link an account of the volunteer role');
    if (!volunteerPath.startsWith(u.path)) throw err('jurisdiction_mismatch', 'the account belongs elsewhere');
    const taken = await kysely
      .selectFrom('volunteers')
      .select('id')
      .where('user_id', '=', userId)
      .where('id', '!=', volunteerId)
      .executeTakeFirst();
    if (taken) throw err('already_linked', 'this account is linked to another volunteer');
  }

  /** Two links of one account at once: the unique index settles it, the loser gets the same field error. */
  const linkRace = (e: unknown): never => {
    if (isUniqueViolation(e))
      throw invalidFields([
        { field: 'userId', code: 'already_linked', message: 'this account is linked to another volunteer' },
      ]);
    throw e;
  };

  const fields = ['name', 'phone', 'householdId', 'skills', 'status', 'userId'] as const;

  return {
    /** For the hours service: a volunteer's row in scope (404 otherwise), its presentation. */
    loadVisible: getVisible,
    present,

    async createVolunteer(
      ctx: RequestContext,
      body: {
        name: string;
        jurisdictionId: number;
        phone?: string;
        householdId?: number;
        skills?: string;
        userId?: number;
      },
    ) {
      const j = await subdistrictField(ctx, body.jurisdictionId);
      if (body.householdId) await householdField(ctx, body.householdId);
      if (body.userId) await userField(ctx, body.userId, j.path);
      const id = await kysely
        .transaction()
        .execute(async (trx) => {
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
              user_id: body.userId ?? null,
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
        })
        .catch(linkRace);
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
        userId?: number | null;
      },
    ) {
      const row = await getVisible(ctx, id);
      if (body.householdId) await householdField(ctx, body.householdId);
      if (body.userId) await userField(ctx, body.userId, row.jurisdiction_path, row.id);
      await kysely
        .transaction()
        .execute(async (trx) => {
          const before = await present(trx, row);
          await trx
            .updateTable('volunteers')
            .set({
              ...(body.name !== undefined ? { name: body.name } : {}),
              ...(body.phone !== undefined ? phoneCols(body.phone) : {}),
              ...(body.householdId !== undefined ? { household_id: body.householdId } : {}),
              ...(body.skills !== undefined ? { skills: body.skills } : {}),
              ...(body.status !== undefined ? { status: body.status } : {}),
              ...(body.userId !== undefined ? { user_id: body.userId } : {}),
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
        })
        .catch(linkRace);
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
  };
}

export function presentShift(s: {
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
