import {
  isValidIdNumber,
  normalizeIdNumber,
  type CreateHouseholdBody,
  type Household,
  type HouseholdSummary,
  type ListHouseholdsQuery,
  type RedeemBlock,
  type UpdateHouseholdBody,
} from '@qiao/contracts';
import type { Transaction } from 'kysely';
import { z } from 'zod';
import { nowIso, type Executor } from '../../db/database.js';
import { isUniqueViolation } from '../../db/dialect.js';
import type { Database, HouseholdRow } from '../../db/schema.js';
import { diffChanges, recordAudit } from '../../platform/audit/audit-log.js';
import type { Deps } from '../../platform/deps.js';
import { DomainError, forbidden, invalidFields, notFound } from '../../platform/errors.js';
import { auditContext, inScope, inSubtree, type RequestContext } from '../../platform/scope.js';
import { addDays, cardNumberFor, isCardNumber, redeemBlock, shanghaiToday } from './household-rules.js';
import {
  auditedFields,
  HOUSEHOLD_ID_INDEX_KEY,
  HOUSEHOLD_PHONE_INDEX_KEY,
  HOUSEHOLD_PII_KEY,
  idNumberColumns,
  phoneColumns,
  presentHousehold,
  presentHouseholdSummary,
} from './household-record.js';
import * as q from './households.queries.js';

/** What other modules (the supermarket, aid, volunteers) need of a household. */
export interface HouseholdRef {
  id: number;
  jurisdictionId: number;
  jurisdictionPath: string;
  headName: string;
  category: string;
  cardNumber: string | null;
  validUntil: string | null;
  /** True when verified and not expired today (Asia/Shanghai). */
  mayRedeem: boolean;
  redeemBlock: RedeemBlock | null;
}

const refOf = (r: HouseholdRow, today = shanghaiToday()): HouseholdRef => {
  const block = redeemBlock(r, today);
  return {
    id: r.id,
    jurisdictionId: r.jurisdiction_id,
    jurisdictionPath: r.jurisdiction_path,
    headName: r.head_name,
    category: r.category,
    cardNumber: r.card_number,
    validUntil: r.valid_until,
    mayRedeem: block === null,
    redeemBlock: block,
  };
};

/** The same words whoever holds the ID number and wherever: nothing about the other household leaks. */
const duplicateHousehold = () =>
  new DomainError(
    'duplicate_household',
    'This resident ID number is already registered with a household. The district has been asked to resolve it.',
  );

class DuplicateFound extends Error {
  constructor(readonly existingId: number) {
    super('duplicate household');
  }
}

const phoneLike = /^(1[3-9]\d{9}|0\d{9,11})$/;

/** Households in hardship: entry, verification, consent, members, personal data on demand, duplicates. */
export function createHouseholdService({ db, keyring }: Deps) {
  const kysely = db.kysely;

  const visible = (ctx: RequestContext, row: { jurisdiction_path: string }) =>
    ctx.actor.permissions.has('household:read') && inScope(ctx.actor, row.jurisdiction_path);

  async function getVisible(
    ctx: RequestContext,
    id: number,
    executor: Executor = kysely,
    lockRow = false,
  ): Promise<HouseholdRow> {
    const row = await q.findHousehold(executor, id, lockRow);
    if (!row || !visible(ctx, row)) throw notFound('household');
    return row;
  }

  async function present(executor: Executor, row: HouseholdRow): Promise<Household> {
    return presentHousehold(row, await q.listMembers(executor, [row.id]));
  }

  /** Writes the new version and its audit event, in the caller's transaction. */
  async function audit(
    trx: Executor,
    ctx: RequestContext,
    row: HouseholdRow,
    action: 'household.create' | 'household.update' | 'household.verify' | 'household.consent',
    before: Household | null,
    details?: Record<string, unknown>,
  ) {
    const after = await present(trx, (await q.findHousehold(trx, row.id))!);
    await recordAudit(trx as never, auditContext(ctx), {
      action,
      entityType: 'household',
      entityId: row.id,
      jurisdiction: { id: row.jurisdiction_id, path: row.jurisdiction_path },
      changes: diffChanges(before, after, auditedFields),
      ...(details ? { details } : {}),
    });
  }

  /** Raises the district's task for a refused duplicate, in its own transaction (the refusal writes nothing else). */
  async function raiseDuplicateTask(
    ctx: RequestContext,
    j: { id: number; path: string },
    body: CreateHouseholdBody,
    existingId: number,
  ) {
    await kysely.transaction().execute(async (trx) => {
      const { id } = await trx
        .insertInto('household_duplicate_tasks')
        .values({
          jurisdiction_id: j.id,
          jurisdiction_path: j.path,
          existing_household_id: existingId,
          head_name: body.headName,
          id_masked: idNumberColumns(keyring, body.idNumber).id_masked,
          category: body.category,
          attempted_by_id: ctx.actor.kind === 'system' ? null : ctx.actor.userId,
          attempted_by_name: ctx.actor.username,
          status: 'open',
          resolution: null,
          resolved_by_name: null,
          resolved_at: null,
          created_at: nowIso(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(trx, auditContext(ctx), {
        action: 'household.duplicate_refused',
        entityType: 'household_duplicate_task',
        entityId: id,
        jurisdiction: j,
        outcome: 'failure',
      });
    });
  }

  /** Exact matches a search text means: an ID number, a phone or a card number; else a name. */
  function exactOf(text: string) {
    const exact: { idIndex?: string; phoneIndex?: string; cardNumber?: string } = {};
    const asId = normalizeIdNumber(text);
    if (isValidIdNumber(asId)) exact.idIndex = keyring.hmac(HOUSEHOLD_ID_INDEX_KEY, asId);
    const digits = text.replace(/[\s-]/g, '');
    if (phoneLike.test(digits)) exact.phoneIndex = keyring.hmac(HOUSEHOLD_PHONE_INDEX_KEY, digits);
    if (isCardNumber(digits)) exact.cardNumber = digits;
    return exact;
  }

  async function scopeOf(ctx: RequestContext, jurisdictionId: number | undefined): Promise<string | null> {
    if (!jurisdictionId) return ctx.actor.scopePath;
    const j = await kysely
      .selectFrom('jurisdictions')
      .select('path')
      .where('id', '=', jurisdictionId)
      .executeTakeFirst();
    return j && inScope(ctx.actor, j.path) ? j.path : null;
  }

  return {
    /**
     * For other modules: the household `id` if the actor may see it (404 otherwise, as if missing),
     * with whether it may redeem today. Pass the caller's transaction to read inside it.
     */
    /** With `lockRow` (PostgreSQL: see needsRowLocks), the row is locked in the same statement. */
    async loadHouseholdInScope(
      ctx: RequestContext,
      id: number,
      executor: Executor = kysely,
      lockRow = false,
    ): Promise<HouseholdRef> {
      return refOf(await getVisible(ctx, id, executor, lockRow));
    },

    /** For the till: the household holding a card number, if the actor may see it; else undefined. */
    async findHouseholdByCard(
      ctx: RequestContext,
      cardNumber: string,
      executor: Executor = kysely,
    ): Promise<HouseholdRef | undefined> {
      if (!isCardNumber(cardNumber)) return undefined;
      const row = await q.findHouseholdByCard(executor, cardNumber);
      return row && visible(ctx, row) ? refOf(row) : undefined;
    },

    /**
     * For redemption: the household if it is in scope and may redeem today; a 409
     * household_not_eligible when it is unverified or its verification has expired.
     */
    async assertMayRedeem(ctx: RequestContext, id: number, executor: Executor = kysely): Promise<HouseholdRef> {
      const ref = refOf(await getVisible(ctx, id, executor));
      if (!ref.mayRedeem)
        throw new DomainError(
          'household_not_eligible',
          ref.redeemBlock === 'expired'
            ? 'This household’s verification has expired; it must be verified again before it can redeem.'
            : 'This household has not been verified yet and cannot redeem.',
        );
      return ref;
    },

    /**
     * Takes the household's row lock for the rest of `trx` (a no-op update), so checks that span
     * rows of one household — a yearly aid cap, a points balance — serialize on both engines.
     */
    async lockHousehold(trx: Transaction<Database>, id: number): Promise<void> {
      await trx
        .updateTable('households')
        .set((eb) => ({ version: eb.ref('version') }))
        .where('id', '=', id)
        .execute();
    },

    /** Whether a household row may redeem on `today` (Asia/Shanghai); pure, for callers holding a row. */
    mayRedeem(h: { verified_at: string | null; valid_until: string | null }, today = shanghaiToday()): boolean {
      return redeemBlock(h, today) === null;
    },

    /** Enters a household; the same ID number anywhere in the city is refused and raises a district task. */
    async createHousehold(ctx: RequestContext, body: CreateHouseholdBody): Promise<Household> {
      const j = await kysely
        .selectFrom('jurisdictions')
        .select(['id', 'path', 'level'])
        .where('id', '=', body.jurisdictionId)
        .executeTakeFirst();
      if (!j || !inScope(ctx.actor, j.path))
        throw invalidFields([{ field: 'jurisdictionId', code: 'not_found', message: 'no such jurisdiction' }]);
      if (j.level !== 'subdistrict')
        throw invalidFields([
          { field: 'jurisdictionId', code: 'level_mismatch', message: 'a household belongs to a subdistrict' },
        ]);
      const idCols = idNumberColumns(keyring, body.idNumber);
      try {
        const id = await kysely.transaction().execute(async (trx) => {
          const existing = await q.findHouseholdIdByIndex(trx, idCols.id_index);
          if (existing) throw new DuplicateFound(existing.id);
          const now = nowIso();
          const inserted = await trx
            .insertInto('households')
            .values({
              jurisdiction_id: j.id,
              jurisdiction_path: j.path,
              head_name: body.headName,
              ...idCols,
              ...phoneColumns(keyring, body.phone ?? null),
              category: body.category,
              address: null,
              card_number: null,
              verified_at: null,
              verified_by_id: null,
              verified_by_name: null,
              verification_note: null,
              valid_until: null,
              consent_data_use: 0,
              consent_sharing: 0,
              consent_on: null,
              consent_scope: null,
              version: 1,
              created_at: now,
              updated_at: now,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          await audit(trx, ctx, (await q.findHousehold(trx, inserted.id))!, 'household.create', null);
          return inserted.id;
        });
        return present(kysely, (await q.findHousehold(kysely, id))!);
      } catch (e) {
        let existingId = e instanceof DuplicateFound ? e.existingId : null;
        // Two entries of one ID number at once: the unique index refuses the second.
        if (existingId === null && isUniqueViolation(e))
          existingId = (await q.findHouseholdIdByIndex(kysely, idCols.id_index))?.id ?? null;
        if (existingId === null) throw e;
        await raiseDuplicateTask(ctx, j, body, existingId);
        throw duplicateHousehold();
      }
    },

    async getHousehold(ctx: RequestContext, id: number): Promise<Household> {
      return present(kysely, await getVisible(ctx, id));
    },

    /** Households of the caller's subtree, newest first; `q` finds a name, or exactly an ID number, phone or card. */
    async listHouseholds(
      ctx: RequestContext,
      query: ListHouseholdsQuery,
    ): Promise<{ items: HouseholdSummary[]; nextCursor: string | null }> {
      const scope = await scopeOf(ctx, query.jurisdictionId);
      if (!scope) return { items: [], nextCursor: null };
      const afterId = query.cursor && /^\d{1,15}$/.test(query.cursor) ? Number(query.cursor) : undefined;
      const exact = query.q ? exactOf(query.q) : undefined;
      const rows = await q.listHouseholdsUnder(kysely, {
        scope,
        category: query.category,
        exact,
        // An ID number or card number typed whole is matched exactly, never as a name fragment.
        name: query.q && !exact?.idIndex && !exact?.cardNumber && !exact?.phoneIndex ? query.q : undefined,
        afterId,
        limit: query.limit,
      });
      const page = rows.slice(0, query.limit);
      const today = shanghaiToday();
      return {
        items: page.map((r) => presentHouseholdSummary(r, today)),
        nextCursor: rows.length > query.limit ? String(page[page.length - 1]!.id) : null,
      };
    },

    /** Changes the fields sent; the ID number never changes (a different person is a different household). */
    async updateHousehold(ctx: RequestContext, id: number, body: UpdateHouseholdBody): Promise<Household> {
      const row = await getVisible(ctx, id);
      if (!ctx.actor.permissions.has('household:manage')) throw forbidden('You may not change this household.');
      await kysely.transaction().execute(async (trx) => {
        const before = await present(trx, row);
        await trx
          .updateTable('households')
          .set({
            ...(body.headName !== undefined ? { head_name: body.headName } : {}),
            ...(body.category !== undefined ? { category: body.category } : {}),
            ...(body.address !== undefined ? { address: body.address } : {}),
            ...(body.phone !== undefined ? phoneColumns(keyring, body.phone) : {}),
            version: row.version + 1,
            updated_at: nowIso(),
          })
          .where('id', '=', id)
          .execute();
        await audit(trx, ctx, row, 'household.update', before);
      });
      return present(kysely, (await q.findHousehold(kysely, id))!);
    },

    /**
     * Verifies (or re-verifies) a household from today for the city's validity period; the first
     * verification gives it a card number.
     */
    async verifyHousehold(ctx: RequestContext, id: number, body: { note?: string }): Promise<Household> {
      const row = await getVisible(ctx, id);
      if (!ctx.actor.permissions.has('household:manage')) throw forbidden('You may not verify households.');
      await kysely.transaction().execute(async (trx) => {
        const settings = await q.getSettings(trx);
        const before = await present(trx, row);
        const now = nowIso();
        const validUntil = addDays(shanghaiToday(), settings.verification_valid_days - 1);
        const note = body.note ? body.note : null;
        const by = { id: ctx.actor.kind === 'system' ? null : ctx.actor.userId, name: ctx.actor.username };
        await trx
          .insertInto('household_verifications')
          .values({
            household_id: id,
            verified_at: now,
            verifier_id: by.id,
            verifier_name: by.name,
            note,
            valid_until: validUntil,
          })
          .execute();
        await trx
          .updateTable('households')
          .set({
            card_number: row.card_number ?? cardNumberFor(id),
            verified_at: now,
            verified_by_id: by.id,
            verified_by_name: by.name,
            verification_note: note,
            valid_until: validUntil,
            version: row.version + 1,
            updated_at: now,
          })
          .where('id', '=', id)
          .execute();
        await audit(trx, ctx, row, 'household.verify', before);
      });
      return present(kysely, (await q.findHousehold(kysely, id))!);
    },

    async listVerifications(ctx: RequestContext, id: number) {
      await getVisible(ctx, id);
      const rows = await kysely
        .selectFrom('household_verifications')
        .selectAll()
        .where('household_id', '=', id)
        .orderBy('id', 'desc')
        .execute();
      return rows.map((v) => ({
        id: v.id,
        verifiedAt: v.verified_at,
        verifiedBy: v.verifier_name,
        note: v.note,
        validUntil: v.valid_until,
      }));
    },

    /** Verified households whose verification ends within `days` (or already has): the re-verification reminders. */
    async listDueForReverification(ctx: RequestContext, query: { days?: number; limit: number; cursor?: string }) {
      const settings = await q.getSettings(kysely);
      const until = addDays(shanghaiToday(), query.days ?? settings.reverify_notice_days);
      const after = decodeDueCursor(query.cursor);
      const rows = await q.listDueUnder(kysely, ctx.actor.scopePath, until, after, query.limit);
      const page = rows.slice(0, query.limit);
      const last = page[page.length - 1];
      const today = shanghaiToday();
      return {
        items: page.map((r) => presentHouseholdSummary(r, today)),
        until,
        nextCursor: rows.length > query.limit && last ? `${last.valid_until}.${last.id}` : null,
      };
    },

    /** Records the resident's consent to data use and to sharing, with its date and scope. */
    async recordConsent(
      ctx: RequestContext,
      id: number,
      body: { dataUse: boolean; sharing: boolean; on: string; scope: string },
    ): Promise<Household> {
      const row = await getVisible(ctx, id);
      if (!ctx.actor.permissions.has('household:manage')) throw forbidden('You may not record consent.');
      if (body.on > shanghaiToday())
        throw invalidFields([{ field: 'on', code: 'in_future', message: 'consent cannot be dated in the future' }]);
      await kysely.transaction().execute(async (trx) => {
        const before = await present(trx, row);
        await trx
          .updateTable('households')
          .set({
            consent_data_use: body.dataUse ? 1 : 0,
            consent_sharing: body.sharing ? 1 : 0,
            consent_on: body.on,
            consent_scope: body.scope,
            version: row.version + 1,
            updated_at: nowIso(),
          })
          .where('id', '=', id)
          .execute();
        await audit(trx, ctx, row, 'household.consent', before);
      });
      return present(kysely, (await q.findHousehold(kysely, id))!);
    },

    async addMember(
      ctx: RequestContext,
      id: number,
      body: { name: string; relation: string; birthYear?: number; disability?: string; seriousIllness?: string },
    ): Promise<Household> {
      const row = await getVisible(ctx, id);
      if (!ctx.actor.permissions.has('household:manage')) throw forbidden('You may not change this household.');
      if (body.birthYear !== undefined && body.birthYear > Number(shanghaiToday().slice(0, 4)))
        throw invalidFields([
          { field: 'birthYear', code: 'in_future', message: 'a birth year cannot be in the future' },
        ]);
      const sensitive =
        (body.disability && body.disability !== 'none') || body.seriousIllness
          ? keyring.encrypt(
              HOUSEHOLD_PII_KEY,
              JSON.stringify({ disability: body.disability ?? null, seriousIllness: body.seriousIllness ?? null }),
            )
          : null;
      await kysely.transaction().execute(async (trx) => {
        const { id: memberId } = await trx
          .insertInto('household_members')
          .values({
            household_id: id,
            name: body.name,
            relation: body.relation,
            birth_year: body.birthYear ?? null,
            sensitive_sealed: sensitive,
            created_at: nowIso(),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx
          .updateTable('households')
          .set({ version: row.version + 1, updated_at: nowIso() })
          .where('id', '=', id)
          .execute();
        await recordAudit(trx, auditContext(ctx), {
          action: 'household.member_add',
          entityType: 'household',
          entityId: id,
          jurisdiction: { id: row.jurisdiction_id, path: row.jurisdiction_path },
          // Health data stays out of the trail: only that some is held.
          details: { memberId, name: body.name, relation: body.relation, sensitiveHeld: sensitive !== null },
        });
      });
      return present(kysely, (await q.findHousehold(kysely, id))!);
    },

    async removeMember(ctx: RequestContext, memberId: number): Promise<Household> {
      const member = await kysely
        .selectFrom('household_members')
        .selectAll()
        .where('id', '=', memberId)
        .executeTakeFirst();
      if (!member) throw notFound('household member');
      const row = await q.findHousehold(kysely, member.household_id);
      if (!row || !visible(ctx, row)) throw notFound('household member');
      if (!ctx.actor.permissions.has('household:manage')) throw forbidden('You may not change this household.');
      await kysely.transaction().execute(async (trx) => {
        await trx.deleteFrom('household_members').where('id', '=', memberId).execute();
        await trx
          .updateTable('households')
          .set({ version: row.version + 1, updated_at: nowIso() })
          .where('id', '=', row.id)
          .execute();
        await recordAudit(trx, auditContext(ctx), {
          action: 'household.member_remove',
          entityType: 'household',
          entityId: row.id,
          jurisdiction: { id: row.jurisdiction_id, path: row.jurisdiction_path },
          details: { memberId, name: member.name, relation: member.relation },
        });
      });
      return present(kysely, (await q.findHousehold(kysely, row.id))!);
    },

    /** The head's ID number and phone and the members' health data in clear, for a reason the audit trail keeps. */
    async revealHousehold(ctx: RequestContext, id: number, reason: string) {
      const row = await getVisible(ctx, id);
      const members = await q.listMembers(kysely, [id]);
      await kysely.transaction().execute((trx) =>
        recordAudit(trx, auditContext(ctx), {
          action: 'household.reveal',
          entityType: 'household',
          entityId: id,
          jurisdiction: { id: row.jurisdiction_id, path: row.jurisdiction_path },
          details: { reason, fields: ['idNumber', 'phone', 'members.health'] },
        }),
      );
      const healthSchema = z.object({ disability: z.string().nullable(), seriousIllness: z.string().nullable() });
      return {
        idNumber: keyring.decrypt(HOUSEHOLD_PII_KEY, row.id_sealed),
        phone: row.phone_sealed ? keyring.decrypt(HOUSEHOLD_PII_KEY, row.phone_sealed) : null,
        members: members.map((m) => {
          const h = m.sensitive_sealed
            ? healthSchema.parse(JSON.parse(keyring.decrypt(HOUSEHOLD_PII_KEY, m.sensitive_sealed)))
            : { disability: null, seriousIllness: null };
          return { id: m.id, disability: h.disability as never, seriousIllness: h.seriousIllness };
        }),
      };
    },

    /**
     * Duplicate tasks raised in the caller's subtree (the jurisdiction the refused entry was for).
     * The existing household is named only when it lies in the reader's subtree too.
     */
    async listDuplicateTasks(ctx: RequestContext, query: { status?: string; limit: number; cursor?: string }) {
      let sel = kysely
        .selectFrom('household_duplicate_tasks as t')
        .innerJoin('households as h', 'h.id', 't.existing_household_id')
        .selectAll('t')
        .select('h.jurisdiction_path as existing_path')
        .where(inSubtree('t.jurisdiction_path', ctx.actor.scopePath))
        .orderBy('t.id', 'desc')
        .limit(query.limit + 1);
      if (query.status) sel = sel.where('t.status', '=', query.status);
      if (query.cursor) sel = sel.where('t.id', '<', Number(query.cursor));
      const rows = await sel.execute();
      const page = rows.slice(0, query.limit);
      return {
        items: page.map((t) => ({
          id: t.id,
          jurisdictionId: t.jurisdiction_id,
          headName: t.head_name,
          idNumber: t.id_masked,
          category: t.category as never,
          attemptedBy: t.attempted_by_name,
          existingHouseholdId: inScope(ctx.actor, t.existing_path) ? t.existing_household_id : null,
          status: t.status as 'open' | 'resolved',
          resolution: t.resolution,
          resolvedBy: t.resolved_by_name,
          resolvedAt: t.resolved_at,
          createdAt: t.created_at,
        })),
        nextCursor: rows.length > query.limit ? String(page[page.length - 1]!.id) : null,
      };
    },

    async resolveDuplicateTask(ctx: RequestContext, taskId: number, resolution: string) {
      const task = await kysely
        .selectFrom('household_duplicate_tasks')
        .selectAll()
        .where('id', '=', taskId)
        .executeTakeFirst();
      if (!task || !inScope(ctx.actor, task.jurisdiction_path)) throw notFound('duplicate task');
      if (task.status !== 'open') throw new DomainError('conflict', 'This task has already been resolved.');
      await kysely.transaction().execute(async (trx) => {
        const now = nowIso();
        const updated = await trx
          .updateTable('household_duplicate_tasks')
          .set({ status: 'resolved', resolution, resolved_by_name: ctx.actor.username, resolved_at: now })
          .where('id', '=', taskId)
          .where('status', '=', 'open')
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1)
          throw new DomainError('conflict', 'This task has already been resolved.');
        await recordAudit(trx, auditContext(ctx), {
          action: 'household.duplicate_resolve',
          entityType: 'household_duplicate_task',
          entityId: taskId,
          jurisdiction: { id: task.jurisdiction_id, path: task.jurisdiction_path },
          changes: [{ field: 'status', before: 'open', after: 'resolved' }],
          details: { resolution },
        });
      });
      return { ok: true };
    },

    async getSettings() {
      return presentSettings(await q.getSettings(kysely));
    },

    async updateSettings(
      ctx: RequestContext,
      body: Partial<{
        verificationValidDays: number;
        reverifyNoticeDays: number;
        aidSecondApprovalFen: number;
        aidYearlyCapFen: number;
        volunteerPointsPerHour: number;
      }>,
    ) {
      await kysely.transaction().execute(async (trx) => {
        const before = presentSettings(await q.getSettings(trx));
        await trx
          .updateTable('household_settings')
          .set({
            ...(body.verificationValidDays !== undefined
              ? { verification_valid_days: body.verificationValidDays }
              : {}),
            ...(body.reverifyNoticeDays !== undefined ? { reverify_notice_days: body.reverifyNoticeDays } : {}),
            ...(body.aidSecondApprovalFen !== undefined ? { aid_second_approval_fen: body.aidSecondApprovalFen } : {}),
            ...(body.aidYearlyCapFen !== undefined ? { aid_yearly_cap_fen: body.aidYearlyCapFen } : {}),
            ...(body.volunteerPointsPerHour !== undefined
              ? { volunteer_points_per_hour: body.volunteerPointsPerHour }
              : {}),
            updated_at: nowIso(),
          })
          .where('id', '=', 1)
          .execute();
        const after = presentSettings(await q.getSettings(trx));
        await recordAudit(trx, auditContext(ctx), {
          action: 'household.settings',
          entityType: 'household_settings',
          entityId: 1,
          changes: diffChanges(before, after, [
            'verificationValidDays',
            'reverifyNoticeDays',
            'aidSecondApprovalFen',
            'aidYearlyCapFen',
            'volunteerPointsPerHour',
          ]),
        });
      });
      return presentSettings(await q.getSettings(kysely));
    },
  };
}

function presentSettings(s: Awaited<ReturnType<typeof q.getSettings>>) {
  return {
    verificationValidDays: s.verification_valid_days,
    reverifyNoticeDays: s.reverify_notice_days,
    aidSecondApprovalFen: s.aid_second_approval_fen,
    aidYearlyCapFen: s.aid_yearly_cap_fen,
    volunteerPointsPerHour: s.volunteer_points_per_hour,
    updatedAt: s.updated_at,
  };
}

function decodeDueCursor(cursor: string | undefined): [string, number] | null {
  const m = cursor?.match(/^(\d{4}-\d{2}-\d{2})\.(\d{1,15})$/);
  return m ? [m[1]!, Number(m[2])] : null;
}

export type HouseholdService = ReturnType<typeof createHouseholdService>;
