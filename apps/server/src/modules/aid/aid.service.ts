import type { AidApplication, AidStatus, ApplyForAidBody, ListAidApplicationsQuery } from '@qiao/contracts';
import type { Selectable, Transaction, Updateable } from 'kysely';
import { nowIso, type Executor } from '../../db/database.js';
import type { AidApplicationTable, Database } from '../../db/schema.js';
import { recordAudit } from '../../platform/audit/audit-log.js';
import type { Deps } from '../../platform/deps.js';
import { DomainError, forbidden, invalidFields, notFound } from '../../platform/errors.js';
import { auditContext, inScope, inSubtree, type RequestContext } from '../../platform/scope.js';
import { shanghaiToday, shanghaiYear } from '../households/household-rules.js';
import type { HouseholdService } from '../households/households.service.js';

type Row = Selectable<AidApplicationTable> & { head_name: string };

/** Statuses whose amounts count against the household's yearly cap. */
const COMMITTED: AidStatus[] = ['pending', 'awaiting_second_approval', 'approved', 'disbursed'];
const GRANTED: AidStatus[] = ['approved', 'disbursed'];

const capExceeded = (remaining: number) =>
  new DomainError(
    'aid_cap_exceeded',
    `This would exceed the household’s yearly aid cap; ${(remaining / 100).toFixed(2)} yuan remain this year.`,
  );

/**
 * Financial and medical aid: applications with evidence, approval by center staff and — above the
 * city's threshold — a second approval by a district officer, disbursements, a yearly cap per household.
 */
export function createAidService({ db }: Deps, households: HouseholdService) {
  const kysely = db.kysely;

  const select = (executor: Executor) =>
    executor
      .selectFrom('aid_applications as a')
      .innerJoin('households as h', 'h.id', 'a.household_id')
      .selectAll('a')
      .select('h.head_name');

  async function getVisible(ctx: RequestContext, id: number, executor: Executor = kysely): Promise<Row> {
    const row = await select(executor).where('a.id', '=', id).executeTakeFirst();
    if (!row || !inScope(ctx.actor, row.jurisdiction_path)) throw notFound('aid application');
    return row;
  }

  async function present(executor: Executor, r: Row): Promise<AidApplication> {
    const payments = await executor
      .selectFrom('aid_disbursements')
      .selectAll()
      .where('application_id', '=', r.id)
      .orderBy('id')
      .execute();
    return {
      id: r.id,
      householdId: r.household_id,
      householdName: r.head_name,
      jurisdictionId: r.jurisdiction_id,
      kind: r.kind as AidApplication['kind'],
      amountFen: r.amount_fen,
      year: r.year,
      reason: r.reason,
      evidence: JSON.parse(r.evidence) as string[],
      status: r.status as AidStatus,
      needsSecondApproval: r.needs_second_approval === 1,
      appliedBy: r.applied_by_name,
      firstApproval: r.first_approved_at ? { by: r.first_approver_name, at: r.first_approved_at } : null,
      secondApproval: r.second_approved_at ? { by: r.second_approver_name, at: r.second_approved_at } : null,
      decisionNote: r.decision_note,
      disbursedFen: r.disbursed_fen,
      disbursements: payments.map((p) => ({
        id: p.id,
        amountFen: p.amount_fen,
        paidOn: p.paid_on,
        method: p.method as AidApplication['disbursements'][number]['method'],
        reference: p.reference,
        recordedBy: p.recorded_by_name,
        createdAt: p.created_at,
      })),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }

  /** Sum of a household's aid of `year` in `statuses`, leaving out application `except`. */
  async function sumFor(executor: Executor, householdId: number, year: number, statuses: AidStatus[], except = 0) {
    const row = await executor
      .selectFrom('aid_applications')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_fen'), eb.lit(0)).as('total'))
      .where('household_id', '=', householdId)
      .where('year', '=', year)
      .where('status', 'in', statuses)
      .where('id', '!=', except)
      .executeTakeFirstOrThrow();
    return Number(row.total);
  }

  async function auditMove(
    trx: Transaction<Database>,
    ctx: RequestContext,
    row: Row,
    action: 'aid.apply' | 'aid.approve' | 'aid.reject' | 'aid.disburse',
    from: string | null,
    to: string,
    details: Record<string, unknown> = {},
  ) {
    await recordAudit(trx, auditContext(ctx), {
      action,
      entityType: 'aid_application',
      entityId: row.id,
      jurisdiction: { id: row.jurisdiction_id, path: row.jurisdiction_path },
      changes: from === to ? [] : [{ field: 'status', before: from, after: to }],
      details: { householdId: row.household_id, amountFen: row.amount_fen, ...details },
    });
  }

  /** Moves status `from` → `to` only if nobody moved it meanwhile. */
  async function move(trx: Transaction<Database>, row: Row, from: string, set: Updateable<AidApplicationTable>) {
    const res = await trx
      .updateTable('aid_applications')
      .set({ ...set, version: row.version + 1, updated_at: nowIso() })
      .where('id', '=', row.id)
      .where('status', '=', from)
      .where('version', '=', row.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1)
      throw new DomainError('invalid_transition', 'This application changed meanwhile; reload it.');
  }

  const who = (ctx: RequestContext) => ({
    id: ctx.actor.kind === 'system' ? null : ctx.actor.userId,
    name: ctx.actor.username,
  });

  return {
    /** The application's row when the caller may see it, else 404 (for the evidence files). */
    loadInScope: (ctx: RequestContext, id: number) => getVisible(ctx, id),

    /** A household's aid this year against the cap. */
    async householdAidYear(ctx: RequestContext, householdId: number) {
      await households.loadHouseholdInScope(ctx, householdId);
      const year = shanghaiYear();
      const cap = (await households.getSettings()).aidYearlyCapFen;
      const committed = await sumFor(kysely, householdId, year, COMMITTED);
      const approved = await sumFor(kysely, householdId, year, GRANTED);
      const paid = await kysely
        .selectFrom('aid_applications')
        .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('disbursed_fen'), eb.lit(0)).as('total'))
        .where('household_id', '=', householdId)
        .where('year', '=', year)
        .executeTakeFirstOrThrow();
      return {
        year,
        capFen: cap,
        committedFen: committed,
        approvedFen: approved,
        disbursedFen: Number(paid.total),
        remainingFen: Math.max(0, cap - committed),
      };
    },

    /** Applies for aid for a verified household; refused with aid_cap_exceeded past the yearly cap. */
    async applyForAid(ctx: RequestContext, body: ApplyForAidBody): Promise<AidApplication> {
      const household = await households.loadHouseholdInScope(ctx, body.householdId).catch((e: unknown) => {
        if (e instanceof DomainError && e.code === 'not_found')
          throw invalidFields([{ field: 'householdId', code: 'not_found', message: 'no such household' }]);
        throw e;
      });
      if (!household.mayRedeem)
        throw new DomainError(
          'household_not_eligible',
          'Only a verified household whose verification is current may receive aid; verify it first.',
        );
      const settings = await households.getSettings();
      const year = shanghaiYear();
      const id = await kysely.transaction().execute(async (trx) => {
        await households.lockHousehold(trx, household.id);
        const committed = await sumFor(trx, household.id, year, COMMITTED);
        if (committed + body.amountFen > settings.aidYearlyCapFen)
          throw capExceeded(Math.max(0, settings.aidYearlyCapFen - committed));
        const now = nowIso();
        const by = who(ctx);
        const { id } = await trx
          .insertInto('aid_applications')
          .values({
            household_id: household.id,
            jurisdiction_id: household.jurisdictionId,
            jurisdiction_path: household.jurisdictionPath,
            kind: body.kind,
            amount_fen: body.amountFen,
            year,
            reason: body.reason,
            evidence: JSON.stringify(body.evidence),
            status: 'pending',
            needs_second_approval: body.amountFen > settings.aidSecondApprovalFen ? 1 : 0,
            applied_by_id: by.id,
            applied_by_name: by.name,
            first_approver_id: null,
            first_approver_name: null,
            first_approved_at: null,
            second_approver_id: null,
            second_approver_name: null,
            second_approved_at: null,
            decision_note: null,
            version: 1,
            created_at: now,
            updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const row = (await select(trx).where('a.id', '=', id).executeTakeFirst())!;
        await auditMove(trx, ctx, row, 'aid.apply', null, 'pending', { kind: body.kind });
        return id;
      });
      return present(kysely, await getVisible(ctx, id));
    },

    async getAidApplication(ctx: RequestContext, id: number): Promise<AidApplication> {
      return present(kysely, await getVisible(ctx, id));
    },

    async listAidApplications(ctx: RequestContext, query: ListAidApplicationsQuery) {
      let sel = select(kysely)
        .where(inSubtree('a.jurisdiction_path', ctx.actor.scopePath))
        .orderBy('a.id', 'desc')
        .limit(query.limit + 1);
      if (query.status) sel = sel.where('a.status', '=', query.status);
      if (query.householdId) sel = sel.where('a.household_id', '=', query.householdId);
      if (query.cursor) sel = sel.where('a.id', '<', Number(query.cursor));
      const rows = await sel.execute();
      const page = rows.slice(0, query.limit);
      return {
        items: await Promise.all(page.map((r) => present(kysely, r))),
        nextCursor: rows.length > query.limit ? String(page[page.length - 1]!.id) : null,
      };
    },

    /**
     * First approval by center staff; above the threshold it then awaits a second approval by a
     * district officer, who must be another person. The final approval re-checks the yearly cap.
     */
    async approveAid(ctx: RequestContext, id: number, note?: string): Promise<AidApplication> {
      const row = await getVisible(ctx, id);
      const perms = ctx.actor.permissions;
      const by = who(ctx);
      if (row.status === 'pending') {
        if (!perms.has('aid:manage')) throw forbidden('The first approval is center staff’s.');
      } else if (row.status === 'awaiting_second_approval') {
        if (!perms.has('aid:approve_large')) throw forbidden('A second approval needs a district officer.');
        if (row.first_approver_id !== null && row.first_approver_id === by.id)
          throw new DomainError('distinct_approver_required', 'The second approval must come from another person.');
      } else {
        throw new DomainError('invalid_transition', `An application that is ${row.status} cannot be approved.`);
      }
      // Read before the transaction: on SQLite a second query outside it would wait for it.
      const cap = (await households.getSettings()).aidYearlyCapFen;
      await kysely.transaction().execute(async (trx) => {
        const now = nowIso();
        const final = row.status === 'awaiting_second_approval' || row.needs_second_approval === 0;
        if (final) {
          await households.lockHousehold(trx, row.household_id);
          const granted = await sumFor(trx, row.household_id, row.year, GRANTED, row.id);
          if (granted + row.amount_fen > cap) throw capExceeded(Math.max(0, cap - granted));
        }
        const to = final ? 'approved' : 'awaiting_second_approval';
        await move(
          trx,
          row,
          row.status,
          row.status === 'pending'
            ? {
                status: to,
                first_approver_id: by.id,
                first_approver_name: by.name,
                first_approved_at: now,
                decision_note: note ?? null,
              }
            : {
                status: to,
                second_approver_id: by.id,
                second_approver_name: by.name,
                second_approved_at: now,
                decision_note: note ?? row.decision_note,
              },
        );
        await auditMove(trx, ctx, row, 'aid.approve', row.status, to, note ? { note } : {});
      });
      return present(kysely, await getVisible(ctx, id));
    },

    async rejectAid(ctx: RequestContext, id: number, reason: string): Promise<AidApplication> {
      const row = await getVisible(ctx, id);
      const perms = ctx.actor.permissions;
      if (row.status === 'pending') {
        if (!perms.has('aid:manage')) throw forbidden('Center staff decide pending applications.');
      } else if (row.status === 'awaiting_second_approval') {
        if (!perms.has('aid:approve_large')) throw forbidden('A district officer decides the second approval.');
      } else {
        throw new DomainError('invalid_transition', `An application that is ${row.status} cannot be rejected.`);
      }
      await kysely.transaction().execute(async (trx) => {
        await move(trx, row, row.status, { status: 'rejected', decision_note: reason });
        await auditMove(trx, ctx, row, 'aid.reject', row.status, 'rejected', { reason });
      });
      return present(kysely, await getVisible(ctx, id));
    },

    /** Records a payment of an approved grant; the payments never add up to more than the grant. */
    async recordDisbursement(
      ctx: RequestContext,
      id: number,
      body: { amountFen: number; paidOn: string; method: string; reference?: string },
    ): Promise<AidApplication> {
      const row = await getVisible(ctx, id);
      if (!ctx.actor.permissions.has('aid:manage')) throw forbidden('Center staff record payments.');
      if (body.paidOn > shanghaiToday())
        throw invalidFields([
          { field: 'paidOn', code: 'in_future', message: 'a payment cannot be dated in the future' },
        ]);
      if (row.status !== 'approved')
        throw new DomainError('invalid_transition', `An application that is ${row.status} cannot be paid.`);
      await kysely.transaction().execute(async (trx) => {
        // One conditional update: concurrent payments can never together pass the granted amount.
        const res = await trx
          .updateTable('aid_applications')
          .set((eb) => ({
            disbursed_fen: eb('disbursed_fen', '+', body.amountFen),
            updated_at: nowIso(),
          }))
          .where('id', '=', id)
          .where('status', '=', 'approved')
          .where((eb) => eb(eb('disbursed_fen', '+', body.amountFen), '<=', eb.ref('amount_fen')))
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1)
          throw new DomainError(
            'disbursement_exceeds_grant',
            'This payment would bring the total paid above the approved amount.',
          );
        const by = who(ctx);
        await trx
          .insertInto('aid_disbursements')
          .values({
            application_id: id,
            amount_fen: body.amountFen,
            paid_on: body.paidOn,
            method: body.method,
            reference: body.reference ?? null,
            recorded_by_id: by.id,
            recorded_by_name: by.name,
            created_at: nowIso(),
          })
          .execute();
        const after = (await select(trx).where('a.id', '=', id).executeTakeFirst())!;
        const full = after.disbursed_fen === after.amount_fen;
        if (full) await trx.updateTable('aid_applications').set({ status: 'disbursed' }).where('id', '=', id).execute();
        await auditMove(trx, ctx, row, 'aid.disburse', 'approved', full ? 'disbursed' : 'approved', {
          paidFen: body.amountFen,
          paidOn: body.paidOn,
          method: body.method,
        });
      });
      return present(kysely, await getVisible(ctx, id));
    },
  };
}

export type AidService = ReturnType<typeof createAidService>;
