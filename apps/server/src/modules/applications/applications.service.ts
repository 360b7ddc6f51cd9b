import {
  registeredKinds,
  type AmendApplicationBody,
  type Application,
  type ApplicationStatus,
  type DuplicateFlag,
  type FieldError,
  type ListApplicationsQuery,
  type OrganizationStatus,
  type SubmitApplicationBody,
} from '@qiao/contracts';
import { nowIso, type Executor } from '../../db/database.js';
import { isUniqueViolation } from '../../db/dialect.js';
import { recordAudit } from '../../platform/audit/audit-log.js';
import { checkPasswordPolicy, hashPassword } from '../../platform/auth/passwords.js';
import { APPLICANT_PERMISSIONS } from '../../platform/auth/sessions.js';
import type { Deps } from '../../platform/deps.js';
import { DomainError, invalidFields, notFound } from '../../platform/errors.js';
import { checkServiceFields } from '../service-fields/service-fields.service.js';
import { auditContext, inScope, type Actor, type RequestContext } from '../../platform/scope.js';
import { presentOrganization } from '../organizations/organization-record.js';
import type { OrganizationService } from '../organizations/organizations.service.js';
import type { UserService } from '../users/users.service.js';
import * as q from './applications.queries.js';
import { nameSimilarity, searchBigrams, SIMILAR_NAME_THRESHOLD } from './name-similarity.js';

const duplicateUscc = () =>
  new DomainError('duplicate_uscc', 'Another organization already has this Unified Social Credit Code.');
const duplicateUsername = () => new DomainError('duplicate_username', 'That username is already taken.');
const invalidStep = (status: ApplicationStatus, step: string) =>
  new DomainError('invalid_transition', `An application that is ${status} cannot be ${step}.`);

/** The district part of a subdistrict's path: `/1/4/9/` → `/1/4/`. */
function districtOf(path: string): string {
  const parts = path.split('/').filter(Boolean);
  return `/${parts.slice(0, Math.max(parts.length - 1, 1)).join('/')}/`;
}

/**
 * Registration by application (登记申请): a member of the public applies for their organization
 * without an account, follows and amends the application, and center staff review it with
 * duplicate flags against the registry.
 */
export function createApplicationService({ db }: Deps, organizations: OrganizationService, users: UserService) {
  const kysely = db.kysely;

  async function present(executor: Executor, a: q.ApplicationWithApplicant): Promise<Application> {
    const org = (await executor
      .selectFrom('organizations')
      .selectAll()
      .where('id', '=', a.organization_id)
      .executeTakeFirst())!;
    return {
      id: a.id,
      status: a.status as ApplicationStatus,
      organization: presentOrganization(org),
      applicant: { id: a.applicant_id, username: a.applicant_username, displayName: a.applicant_display_name },
      decisionReason: a.decision_reason,
      submittedAt: a.submitted_at,
      decidedAt: a.decided_at,
      createdAt: a.created_at,
      updatedAt: a.updated_at,
    };
  }

  async function getScoped(ctx: RequestContext, id: number, executor: Executor = kysely) {
    const a = await q.findApplication(executor, id);
    if (!a || !inScope(ctx.actor, a.jurisdiction_path)) throw notFound('application');
    return a;
  }

  async function getOwn(ctx: RequestContext, executor: Executor = kysely) {
    const a = await q.findApplicationOfApplicant(executor, ctx.actor.userId);
    if (!a || ctx.actor.kind === 'system') throw notFound('application');
    return a;
  }

  /** Other organizations that may be this one, among those the reviewer may see. */
  async function duplicateFlags(ctx: RequestContext, a: q.ApplicationWithApplicant): Promise<DuplicateFlag[]> {
    const org = (await kysely
      .selectFrom('organizations')
      .selectAll()
      .where('id', '=', a.organization_id)
      .executeTakeFirst())!;
    const flags: DuplicateFlag[] = [];
    const visible = (o: { jurisdiction_path: string }) => inScope(ctx.actor, o.jurisdiction_path);
    const brief = (o: { id: number; name: string; status: string }) => ({
      id: o.id,
      name: o.name,
      status: o.status as OrganizationStatus,
    });
    if (org.uscc) {
      for (const o of await q.findByUscc(kysely, org.uscc, org.id))
        if (visible(o)) flags.push({ reason: 'same_uscc', organization: brief(o) });
    }
    const candidates = await q.findNameCandidates(
      kysely,
      districtOf(org.jurisdiction_path),
      searchBigrams(org.name),
      org.id,
    );
    for (const o of candidates) {
      const similarity = nameSimilarity(org.name, o.name);
      if (similarity >= SIMILAR_NAME_THRESHOLD && visible(o))
        flags.push({ reason: 'similar_name', similarity: Math.round(similarity * 100) / 100, organization: brief(o) });
    }
    if (org.pic_id_index) {
      for (const o of await q.findByPersonIndex(kysely, org.pic_id_index, org.id))
        if (visible(o)) flags.push({ reason: 'same_person_in_charge', organization: brief(o) });
    }
    return flags;
  }

  /** One review step: the application and its organization move together, audited with the reason. */
  async function step(
    ctx: RequestContext,
    id: number,
    move: {
      from: ApplicationStatus;
      to: ApplicationStatus;
      organizationTo: OrganizationStatus;
      action: 'application.review' | 'application.approve' | 'application.reject' | 'application.return';
      name: string;
      reason: string | null;
    },
  ): Promise<Application> {
    const a = await getScoped(ctx, id);
    if (a.status !== move.from) throw invalidStep(a.status as ApplicationStatus, move.name);
    await kysely.transaction().execute(async (trx) => {
      const now = nowIso();
      const decided = move.to !== 'under_review';
      const moved = await q.moveApplication(trx, id, move.from, {
        status: move.to,
        reviewer_id: ctx.actor.kind === 'system' ? null : ctx.actor.userId,
        reviewer_name: ctx.actor.username,
        ...(decided ? { decided_at: now, decision_reason: move.reason } : {}),
        updated_at: now,
      });
      if (!moved) throw new DomainError('invalid_transition', 'The application changed meanwhile; reload it.');
      await organizations.moveInTransaction(
        trx,
        ctx,
        a.organization_id,
        move.organizationTo,
        move.reason ?? `application ${move.name}`,
      );
      if (move.to === 'approved')
        await users.grantOrganizationAccess(trx, ctx, a.applicant_id, {
          id: a.jurisdiction_id,
          path: a.jurisdiction_path,
        });
      await recordAudit(trx as never, auditContext(ctx), {
        action: move.action,
        entityType: 'application',
        entityId: id,
        jurisdiction: { id: a.jurisdiction_id, path: a.jurisdiction_path },
        changes: [{ field: 'status', before: move.from, after: move.to }],
        ...(move.reason ? { details: { reason: move.reason } } : {}),
      });
    });
    return present(kysely, (await q.findApplication(kysely, id))!);
  }

  return {
    /**
     * The public application form: creates the organization (submitted), the application and the
     * applicant's account, which may only follow and amend this application until it is approved.
     */
    async submitApplication(
      body: SubmitApplicationBody,
      request: { requestId: string | null; ip: string | null },
    ): Promise<Application> {
      const errors: FieldError[] = [];
      const j = await kysely
        .selectFrom('jurisdictions')
        .select(['id', 'path', 'level', 'code'])
        .where('id', '=', body.organization.jurisdictionId)
        .executeTakeFirst();
      if (!j) errors.push({ field: 'organization.jurisdictionId', code: 'not_found', message: 'no such jurisdiction' });
      else if (j.level !== 'subdistrict')
        errors.push({
          field: 'organization.jurisdictionId',
          code: 'level_mismatch',
          message: 'an organization belongs to a subdistrict',
        });
      errors.push(...checkPasswordPolicy(body.account.password, body.account.username, 'account.password'));
      errors.push(...(await checkServiceFields(kysely, body.organization.fields, 'organization.fields')));
      if (errors.length || !j) throw invalidFields(errors);
      if (await users.usernameTaken(kysely, body.account.username)) throw duplicateUsername();
      const passwordHash = await hashPassword(body.account.password);
      const id = await kysely
        .transaction()
        .execute(async (trx) => {
          const userId = await users.insertApplicant(trx, {
            username: body.account.username,
            displayName: body.account.displayName,
            passwordHash,
            jurisdictionId: j.id,
          });
          const actor: Actor = {
            kind: 'user',
            userId,
            username: body.account.username,
            role: 'ngo_officer',
            departmentId: null,
            organizationId: null,
            jurisdictionId: j.id,
            scopePath: j.path,
            permissions: new Set(APPLICANT_PERMISSIONS),
          };
          const ctx: RequestContext = { actor, ...request };
          const { organization: o, personInCharge } = body;
          const organizationId = await organizations.enterApplied(trx, ctx, j, {
            kind: o.kind,
            name: o.name,
            uscc: o.uscc,
            jurisdictionId: j.id,
            foundedOn: o.foundedOn,
            address: o.address,
            fields: o.fields,
            personInCharge,
          });
          await users.bindApplicant(trx, ctx, userId, {
            id: organizationId,
            jurisdiction_id: j.id,
            jurisdiction_path: j.path,
          });
          const now = nowIso();
          const { id } = await trx
            .insertInto('applications')
            .values({
              organization_id: organizationId,
              applicant_id: userId,
              status: 'submitted',
              jurisdiction_id: j.id,
              jurisdiction_path: j.path,
              submitted_at: now,
              created_at: now,
              updated_at: now,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          await recordAudit(trx as never, auditContext(ctx), {
            action: 'application.submit',
            entityType: 'application',
            entityId: id,
            details: { organizationId },
          });
          return id;
        })
        .catch(async (e: unknown) => {
          if (!isUniqueViolation(e)) throw e;
          throw (await users.usernameTaken(kysely, body.account.username)) ? duplicateUsername() : duplicateUscc();
        });
      return present(kysely, (await q.findApplication(kysely, id))!);
    },

    async getMyApplication(ctx: RequestContext): Promise<Application> {
      return present(kysely, await getOwn(ctx));
    },

    /**
     * The applicant's changes while the application is submitted or returned; a returned one is
     * submitted again with them.
     */
    async amendMyApplication(ctx: RequestContext, body: AmendApplicationBody): Promise<Application> {
      const a = await getOwn(ctx);
      const status = a.status as ApplicationStatus;
      if (status !== 'submitted' && status !== 'returned') throw invalidStep(status, 'amended');
      const org = await organizations.getVisible(ctx, a.organization_id);
      const kind = body.organization?.kind ?? org.kind;
      const uscc = body.organization?.uscc ?? (kind === 'community_org' ? null : org.uscc);
      const errors: FieldError[] = [];
      if (registeredKinds.includes(kind as never) && !uscc)
        errors.push({ field: 'organization.uscc', code: 'required', message: 'a registered organization has a USCC' });
      if (kind === 'community_org' && body.organization?.uscc)
        errors.push({
          field: 'organization.uscc',
          code: 'not_allowed',
          message: 'a filed community organization has no USCC until it registers',
        });
      errors.push(
        ...(await checkServiceFields(
          kysely,
          body.organization?.fields,
          'organization.fields',
          JSON.parse(org.fields) as string[],
        )),
      );
      if (errors.length) throw invalidFields(errors);
      await kysely
        .transaction()
        .execute(async (trx) => {
          const { organization: o = {}, personInCharge } = body;
          await organizations.amendApplied(trx, ctx, a.organization_id, {
            ...o,
            ...(personInCharge ? { personInCharge } : {}),
          });
          const now = nowIso();
          if (status === 'returned') {
            const moved = await q.moveApplication(trx, a.id, 'returned', {
              status: 'submitted',
              submitted_at: now,
              updated_at: now,
            });
            if (!moved) throw new DomainError('invalid_transition', 'The application changed meanwhile; reload it.');
            await organizations.moveInTransaction(trx, ctx, a.organization_id, 'submitted', 'resubmitted', true);
          } else {
            const moved = await q.moveApplication(trx, a.id, 'submitted', { status: 'submitted', updated_at: now });
            if (!moved) throw new DomainError('invalid_transition', 'The application changed meanwhile; reload it.');
          }
          await recordAudit(trx as never, auditContext(ctx), {
            action: 'application.amend',
            entityType: 'application',
            entityId: a.id,
            jurisdiction: { id: a.jurisdiction_id, path: a.jurisdiction_path },
            ...(status === 'returned'
              ? { changes: [{ field: 'status', before: 'returned', after: 'submitted' }] }
              : {}),
          });
        })
        .catch((e: unknown) => {
          throw isUniqueViolation(e) ? duplicateUscc() : e;
        });
      return present(kysely, (await q.findApplication(kysely, a.id))!);
    },

    async listApplications(ctx: RequestContext, query: ListApplicationsQuery) {
      const rows = await q.listApplicationsUnder(kysely, ctx.actor.scopePath, query);
      const page = rows.slice(0, query.limit);
      const last = page[page.length - 1];
      return {
        items: await Promise.all(page.map((a) => present(kysely, a))),
        nextCursor: rows.length > query.limit && last ? q.encodeCursor([last.created_at, last.id]) : null,
      };
    },

    async getApplication(ctx: RequestContext, id: number) {
      const a = await getScoped(ctx, id);
      return { ...(await present(kysely, a)), duplicates: await duplicateFlags(ctx, a) };
    },

    startApplicationReview: (ctx: RequestContext, id: number) =>
      step(ctx, id, {
        from: 'submitted',
        to: 'under_review',
        organizationTo: 'under_review',
        action: 'application.review',
        name: 'taken up for review',
        reason: null,
      }),

    approveApplication: (ctx: RequestContext, id: number, reason?: string) =>
      step(ctx, id, {
        from: 'under_review',
        to: 'approved',
        organizationTo: 'active',
        action: 'application.approve',
        name: 'approved',
        reason: reason || null,
      }),

    rejectApplication: (ctx: RequestContext, id: number, reason: string) =>
      step(ctx, id, {
        from: 'under_review',
        to: 'rejected',
        organizationTo: 'rejected',
        action: 'application.reject',
        name: 'rejected',
        reason,
      }),

    returnApplication: (ctx: RequestContext, id: number, reason: string) =>
      step(ctx, id, {
        from: 'under_review',
        to: 'returned',
        organizationTo: 'draft',
        action: 'application.return',
        name: 'returned',
        reason,
      }),
  };
}

export type ApplicationService = ReturnType<typeof createApplicationService>;
