import {
  registeredKinds,
  type CreateOrganizationBody,
  type Organization,
  type OrganizationStatus,
  type UpdateOrganizationBody,
} from '@qiao/contracts';
import { nowIso, type Executor } from '../../db/database.js';
import { isUniqueViolation } from '../../db/dialect.js';
import type { Insertable } from 'kysely';
import type { OrganizationRow, OrganizationTable } from '../../db/schema.js';
import { diffChanges, recordAudit, type AuditChange } from '../../platform/audit/audit-log.js';
import type { Deps } from '../../platform/deps.js';
import { DomainError, forbidden, invalidFields, notFound } from '../../platform/errors.js';
import { checkServiceFields } from '../service-fields/service-fields.service.js';
import { auditContext, inScope, type RequestContext } from '../../platform/scope.js';
import { checkTransition } from './lifecycle.js';
import { createOrganizationLists } from './organization-lists.js';
import { historyFields, PII_KEY, presentOrganization, profileColumns } from './organization-record.js';
import * as q from './organizations.queries.js';

const duplicateUscc = () =>
  new DomainError('duplicate_uscc', 'Another organization already has this Unified Social Credit Code.');

/** An ngo_officer sees its own organization only; everyone else sees their subtree. */
export function visibleTo(ctx: RequestContext, row: { id: number; jurisdiction_path: string }): boolean {
  if (ctx.actor.role === 'ngo_officer') return ctx.actor.organizationId === row.id;
  return inScope(ctx.actor, row.jurisdiction_path);
}

/** The registry: organizations, their lifecycle, change history and personal data on demand. */
export function createOrganizationService({ db, keyring }: Deps) {
  const kysely = db.kysely;
  const changeListeners: ((id: number) => Promise<unknown>)[] = [];

  /**
   * Tells listeners (the risk re-evaluation) that an organization's record changed, after the commit.
   * A listener's failure never fails the change itself: the nightly scan catches up.
   */
  async function changed(id: number): Promise<void> {
    for (const listener of changeListeners) {
      await listener(id).catch((e: unknown) => console.error(`after change of organization ${id}:`, e));
    }
  }

  async function getVisible(ctx: RequestContext, id: number, executor: Executor = kysely): Promise<OrganizationRow> {
    const row = await q.findOrganization(executor, id);
    if (!row || !visibleTo(ctx, row)) throw notFound('organization');
    return row;
  }

  /** Writes one version of the change history and its audit event, in the caller's transaction. */
  async function recordVersion(
    trx: Executor,
    ctx: RequestContext,
    row: { id: number; jurisdiction_id: number; jurisdiction_path: string },
    version: number,
    action: 'organization.create' | 'organization.update' | 'organization.status',
    changes: AuditChange[],
    reason: string | null = null,
  ) {
    const audit = auditContext(ctx);
    await trx
      .insertInto('organization_versions')
      .values({
        organization_id: row.id,
        version,
        changed_at: nowIso(),
        actor_id: audit.actorId,
        actor_name: audit.actorName,
        action,
        reason,
        changes: JSON.stringify(changes),
      })
      .execute();
    await recordAudit(trx as never, audit, {
      action,
      entityType: 'organization',
      entityId: row.id,
      jurisdiction: { id: row.jurisdiction_id, path: row.jurisdiction_path },
      changes,
      ...(reason ? { details: { reason } } : {}),
    });
  }

  /** Inserts an organization with its first version and audit event, in the caller's transaction. */
  async function insertOrganization(
    trx: Executor,
    ctx: RequestContext,
    j: { id: number; path: string; code: string },
    body: CreateOrganizationBody,
    status: 'draft' | 'submitted',
  ): Promise<number> {
    if (body.uscc && (await q.findOrganizationByUscc(trx, body.uscc))) throw duplicateUscc();
    const now = nowIso();
    const year = Number(now.slice(0, 4));
    const filingNumber =
      body.kind === 'community_org'
        ? `${j.code}-${year}-${String(await q.nextFilingSequence(trx, j.id, year)).padStart(4, '0')}`
        : null;
    const { id } = await trx
      .insertInto('organizations')
      .values(<Insertable<OrganizationTable>>{
        fields: '[]',
        party_branch_kind: 'none',
        contact_status: 'reachable',
        kind: body.kind,
        name: body.name,
        uscc: body.uscc ?? null,
        filing_number: filingNumber,
        status,
        jurisdiction_id: j.id,
        jurisdiction_path: j.path,
        version: 1,
        created_at: now,
        updated_at: now,
        ...profileColumns(body, keyring),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const created = presentOrganization((await q.findOrganization(trx, id))!);
    await recordVersion(
      trx,
      ctx,
      { id, jurisdiction_id: j.id, jurisdiction_path: j.path },
      1,
      'organization.create',
      diffChanges(null, created, historyFields),
    );
    return id;
  }

  /** Moves an organization inside the caller's transaction; answers false when its status changed meanwhile. */
  async function moveStatus(
    trx: Executor,
    ctx: RequestContext,
    row: OrganizationRow,
    to: OrganizationStatus,
    reason: string,
    extra: AuditChange[] = [],
  ): Promise<void> {
    const from = row.status as OrganizationStatus;
    const updated = await trx
      .updateTable('organizations')
      .set({ status: to, version: row.version + 1, updated_at: nowIso() })
      .where('id', '=', row.id)
      .where('status', '=', from)
      .executeTakeFirst();
    // Someone else moved it meanwhile: answer as for any other move that no longer applies.
    if (Number(updated.numUpdatedRows) !== 1)
      throw new DomainError('invalid_transition', 'The organization’s status changed meanwhile; reload it.');
    const changes: AuditChange[] = [{ field: 'status', before: from, after: to }, ...extra];
    await recordVersion(trx, ctx, row, row.version + 1, 'organization.status', changes, reason);
  }

  /** updateOrganization's rules across fields (422 listing each), for staff edits and change requests alike. */
  async function checkUpdate(row: OrganizationRow, body: UpdateOrganizationBody): Promise<void> {
    const kind = body.kind ?? row.kind;
    const uscc = body.uscc ?? row.uscc;
    const errors = [];
    if (registeredKinds.includes(kind as never) && !uscc) {
      errors.push({ field: 'uscc', code: 'required', message: 'a registered organization has a USCC' });
    }
    if (kind === 'community_org' && row.kind !== 'community_org') {
      errors.push({
        field: 'kind',
        code: 'not_allowed',
        message: 'a registered organization cannot become a filed one',
      });
    }
    if (kind === 'community_org' && body.uscc) {
      errors.push({ field: 'uscc', code: 'not_allowed', message: 'send the registered kind together with the USCC' });
    }
    // Fields of service come from the city's table; a retired one the organization already has may stay.
    errors.push(...(await checkServiceFields(kysely, body.fields, 'fields', JSON.parse(row.fields) as string[])));
    if (errors.length) throw invalidFields(errors);
  }

  /**
   * Applies `body` to the organization as read in `row` (checked by checkUpdate), with its version
   * and audit event, in the caller's transaction. A USCC another organization holds answers 409.
   */
  async function applyUpdate(
    trx: Executor,
    ctx: RequestContext,
    row: OrganizationRow,
    body: UpdateOrganizationBody,
    reason: string | null = null,
  ): Promise<void> {
    if (body.uscc && body.uscc !== row.uscc && (await q.findOrganizationByUscc(trx, body.uscc))) throw duplicateUscc();
    const { kind: _k, uscc: _u, contactStatus, ...profile } = body;
    const now = nowIso();
    const contact =
      contactStatus && contactStatus !== row.contact_status
        ? {
            contact_status: contactStatus,
            unreachable_since: contactStatus === 'unreachable' ? now.slice(0, 10) : null,
          }
        : {};
    const updated = await trx
      .updateTable('organizations')
      .set({
        kind: body.kind ?? row.kind,
        uscc: body.uscc ?? row.uscc,
        ...profileColumns(profile, keyring),
        ...contact,
        version: row.version + 1,
        updated_at: now,
      })
      .where('id', '=', row.id)
      .where('version', '=', row.version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1)
      throw new DomainError('conflict', 'The organization changed meanwhile; reload it and try again.');
    const after = (await q.findOrganization(trx, row.id))!;
    const changes = diffChanges(presentOrganization(row), presentOrganization(after), historyFields);
    await recordVersion(trx, ctx, after, row.version + 1, 'organization.update', changes, reason);
  }

  /** Set by the change-request service: an officer's edit of its own organization. */
  let officerEdit:
    ((ctx: RequestContext, row: OrganizationRow, body: UpdateOrganizationBody) => Promise<Organization>) | null = null;

  return {
    ...createOrganizationLists(db),
    getVisible,
    recordVersion,
    changed,
    checkUpdate,
    applyUpdate,
    duplicateUscc,

    /** Routes an officer's updateOrganization of its own organization (the change-request service). */
    handleOfficerEdit(
      handler: (ctx: RequestContext, row: OrganizationRow, body: UpdateOrganizationBody) => Promise<Organization>,
    ): void {
      officerEdit = handler;
    },

    /** Runs `listener` after each committed change of an organization's record or activities. */
    onChanged(listener: (id: number) => Promise<unknown>): void {
      changeListeners.push(listener);
    },

    /**
     * For the application service: enters an organization a member of the public applied for
     * (status submitted), in the caller's transaction. The jurisdiction is checked by the caller.
     */
    enterApplied(
      trx: Executor,
      ctx: RequestContext,
      j: { id: number; path: string; code: string },
      body: CreateOrganizationBody,
    ): Promise<number> {
      return insertOrganization(trx, ctx, j, body, 'submitted');
    },

    /** For the application service: the applicant's changes to the organization, in the caller's transaction. */
    async amendApplied(
      trx: Executor,
      ctx: RequestContext,
      id: number,
      body: Pick<
        UpdateOrganizationBody,
        'kind' | 'uscc' | 'name' | 'foundedOn' | 'address' | 'fields' | 'personInCharge'
      >,
    ): Promise<void> {
      const row = (await q.findOrganization(trx, id))!;
      if (body.uscc && body.uscc !== row.uscc && (await q.findOrganizationByUscc(trx, body.uscc)))
        throw duplicateUscc();
      const { kind, uscc, ...profile } = body;
      const kindAfter = kind ?? row.kind;
      await trx
        .updateTable('organizations')
        .set({
          kind: kindAfter,
          // A community organization carries no USCC; a registered kind keeps the one it has unless a new one is sent.
          uscc: kindAfter === 'community_org' ? null : (uscc ?? row.uscc),
          ...profileColumns(profile, keyring),
          version: row.version + 1,
          updated_at: nowIso(),
        })
        .where('id', '=', id)
        .execute();
      const after = (await q.findOrganization(trx, id))!;
      const changes = diffChanges(presentOrganization(row), presentOrganization(after), historyFields);
      await recordVersion(trx, ctx, after, row.version + 1, 'organization.update', changes);
    },

    /** For the application service: a lifecycle move checked against the rules, in the caller's transaction. */
    async moveInTransaction(
      trx: Executor,
      ctx: RequestContext,
      id: number,
      to: OrganizationStatus,
      reason: string,
      asOwnOfficer = false,
    ): Promise<void> {
      const row = (await q.findOrganization(trx, id))!;
      const from = row.status as OrganizationStatus;
      const check = checkTransition(from, to, { permissions: ctx.actor.permissions, isOwnOfficer: asOwnOfficer });
      if (check === 'invalid')
        throw new DomainError('invalid_transition', `An organization cannot go from ${from} to ${to}.`);
      if (check === 'forbidden') throw forbidden(`You may not move an organization from ${from} to ${to}.`);
      await moveStatus(trx, ctx, row, to, reason);
    },

    async getOrganization(ctx: RequestContext, id: number): Promise<Organization> {
      return presentOrganization(await getVisible(ctx, id));
    },

    /** Enters an organization as a draft; a community organization is filed at once with its number. */
    async createOrganization(ctx: RequestContext, body: CreateOrganizationBody): Promise<Organization> {
      const j = await kysely
        .selectFrom('jurisdictions')
        .select(['id', 'path', 'level', 'code'])
        .where('id', '=', body.jurisdictionId)
        .executeTakeFirst();
      if (!j || !inScope(ctx.actor, j.path)) {
        throw invalidFields([{ field: 'jurisdictionId', code: 'not_found', message: 'no such jurisdiction' }]);
      }
      if (j.level !== 'subdistrict') {
        throw invalidFields([
          { field: 'jurisdictionId', code: 'level_mismatch', message: 'an organization belongs to a subdistrict' },
        ]);
      }
      const fieldErrors = await checkServiceFields(kysely, body.fields, 'fields');
      if (fieldErrors.length) throw invalidFields(fieldErrors);
      const id = await kysely
        .transaction()
        .execute((trx) => insertOrganization(trx, ctx, j, body, 'draft'))
        .catch((e: unknown) => {
          throw isUniqueViolation(e) ? duplicateUscc() : e;
        });
      return presentOrganization((await q.findOrganization(kysely, id))!);
    },

    /**
     * Changes the fields sent. A community organization becomes a registered kind by sending the
     * kind with its new USCC: it keeps its filing number and its history.
     */
    async updateOrganization(ctx: RequestContext, id: number, body: UpdateOrganizationBody): Promise<Organization> {
      const row = await getVisible(ctx, id);
      if (!ctx.actor.permissions.has('organization:manage')) {
        if (ctx.actor.role === 'ngo_officer' && ctx.actor.organizationId === row.id && officerEdit)
          return officerEdit(ctx, row, body);
        throw forbidden('You may not change this organization.');
      }
      await checkUpdate(row, body);
      await kysely
        .transaction()
        .execute((trx) => applyUpdate(trx, ctx, row, body))
        .catch((e: unknown) => {
          throw isUniqueViolation(e) ? duplicateUscc() : e;
        });
      await changed(id);
      return presentOrganization((await q.findOrganization(kysely, id))!);
    },

    async changeOrganizationStatus(
      ctx: RequestContext,
      id: number,
      body: { status: OrganizationStatus; reason: string; effectiveOn?: string },
    ): Promise<Organization> {
      const row = await getVisible(ctx, id);
      const from = row.status as OrganizationStatus;
      const check = checkTransition(from, body.status, {
        permissions: ctx.actor.permissions,
        isOwnOfficer: ctx.actor.role === 'ngo_officer' && ctx.actor.organizationId === row.id,
      });
      if (check === 'invalid')
        throw new DomainError('invalid_transition', `An organization cannot go from ${from} to ${body.status}.`);
      if (check === 'forbidden') throw forbidden(`You may not move an organization from ${from} to ${body.status}.`);
      await kysely.transaction().execute(async (trx) => {
        const extra: AuditChange[] = body.effectiveOn
          ? [{ field: 'effectiveOn', before: '', after: body.effectiveOn }]
          : [];
        await moveStatus(trx, ctx, row, body.status, body.reason, extra);
      });
      await changed(id);
      return presentOrganization((await q.findOrganization(kysely, id))!);
    },

    /** The person in charge's ID number and phone in clear, for a stated reason that the audit trail keeps. */
    async revealPersonInCharge(ctx: RequestContext, id: number, reason: string) {
      const row = await getVisible(ctx, id);
      await kysely.transaction().execute((trx) =>
        recordAudit(trx, auditContext(ctx), {
          action: 'organization.reveal',
          entityType: 'organization',
          entityId: id,
          jurisdiction: { id: row.jurisdiction_id, path: row.jurisdiction_path },
          details: { reason, fields: ['personInCharge.idNumber', 'personInCharge.phone'] },
        }),
      );
      return {
        idNumber: row.pic_id_sealed ? keyring.decrypt(PII_KEY, row.pic_id_sealed) : null,
        phone: row.pic_phone_sealed ? keyring.decrypt(PII_KEY, row.pic_phone_sealed) : null,
      };
    },

    async listOrganizationVersions(ctx: RequestContext, id: number) {
      await getVisible(ctx, id);
      return (await q.listVersions(kysely, id)).map((v) => ({
        version: v.version,
        changedAt: v.changed_at,
        actorName: v.actor_name,
        actorDisplayName: v.actor_display_name,
        action: v.action,
        reason: v.reason,
        changes: JSON.parse(v.changes) as AuditChange[],
      }));
    },
  };
}

export type OrganizationService = ReturnType<typeof createOrganizationService>;
