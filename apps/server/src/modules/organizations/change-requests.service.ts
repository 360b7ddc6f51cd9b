import { maskIdNumber, maskPhone, type OrganizationChangeRequest, type UpdateOrganizationBody } from '@qiao/contracts';
import { nowIso, type Executor } from '../../db/database.js';
import { isUniqueViolation } from '../../db/dialect.js';
import type { Database, OrganizationChangeRequestTable, OrganizationRow } from '../../db/schema.js';
import type { Selectable, Transaction } from 'kysely';
import { recordAudit } from '../../platform/audit/audit-log.js';
import type { Deps } from '../../platform/deps.js';
import { DomainError, forbidden, invalidFields, notFound } from '../../platform/errors.js';
import { auditContext, inScope, inSubtree, type RequestContext } from '../../platform/scope.js';
import { PII_KEY, presentOrganization } from './organization-record.js';
import { notify } from '../notifications/notify.js';
import * as q from './organizations.queries.js';
import type { OrganizationService } from './organizations.service.js';

type KeyBody = Pick<UpdateOrganizationBody, 'name' | 'kind' | 'uscc' | 'personInCharge'>;
type RequestRow = Selectable<OrganizationChangeRequestTable> & { organization_name: string };

/** An officer's own edit never touches these: it is the staff's assessment. */
const staffOnlyFields = ['contactStatus'] as const;
/** After approval only: while applying, the officer edits through the application. */
const editableStatuses = ['active', 'dormant', 'suspended'];

const pendingConflict = () =>
  new DomainError('conflict', 'A change of this organization’s key fields is already waiting for review.');

/** The requested values with the person in charge's ID number and phone masked. */
function preview(body: KeyBody): OrganizationChangeRequest['changes'] {
  const p = body.personInCharge;
  return {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.kind !== undefined ? { kind: body.kind } : {}),
    ...(body.uscc !== undefined ? { uscc: body.uscc } : {}),
    ...(p === null
      ? { personInCharge: null }
      : p
        ? {
            personInCharge: {
              name: p.name,
              ...(p.idNumber !== undefined ? { idNumber: p.idNumber ? maskIdNumber(p.idNumber) : null } : {}),
              ...(p.phone !== undefined ? { phone: p.phone ? maskPhone(p.phone) : null } : {}),
            },
          }
        : {}),
  };
}

/**
 * Key-field changes an NGO officer asks for (name, kind, USCC, person in charge) and their review by
 * the subdistrict's staff: approved ones apply as a staff edit would, with a version and audit event.
 */
export function createChangeRequestService({ db, keyring }: Deps, organizations: OrganizationService) {
  const kysely = db.kysely;

  const present = (r: RequestRow): OrganizationChangeRequest => ({
    id: r.id,
    organizationId: r.organization_id,
    organizationName: r.organization_name,
    jurisdictionId: r.jurisdiction_id,
    status: r.status as OrganizationChangeRequest['status'],
    changes: JSON.parse(r.preview) as OrganizationChangeRequest['changes'],
    requestedByName: r.requested_by_name,
    requestedAt: r.requested_at,
    decidedByName: r.decided_by_name,
    decidedAt: r.decided_at,
    reason: r.reason,
  });

  const selectRequests = (executor: Executor) =>
    executor
      .selectFrom('organization_change_requests as r')
      .innerJoin('organizations as o', 'o.id', 'r.organization_id')
      .selectAll('r')
      .select('o.name as organization_name');

  /** Splits the key fields that would really change from the rest of an officer's edit. */
  function split(row: OrganizationRow, body: UpdateOrganizationBody): { key: KeyBody; rest: UpdateOrganizationBody } {
    const { name, kind, uscc, personInCharge, ...rest } = body;
    const key: KeyBody = {};
    if (name !== undefined && name !== row.name) key.name = name;
    if (kind !== undefined && kind !== row.kind) key.kind = kind;
    if (uscc !== undefined && uscc !== row.uscc) key.uscc = uscc;
    if (personInCharge === null) {
      if (row.pic_name !== null) key.personInCharge = null;
    } else if (personInCharge) {
      const current = (sealed: string | null) => (sealed ? keyring.decrypt(PII_KEY, sealed) : null);
      const differs =
        personInCharge.name !== row.pic_name ||
        (personInCharge.idNumber !== undefined && personInCharge.idNumber !== current(row.pic_id_sealed)) ||
        (personInCharge.phone !== undefined && personInCharge.phone !== current(row.pic_phone_sealed));
      if (differs) key.personInCharge = personInCharge;
    }
    return { key, rest };
  }

  /** The officer's updateOrganization: other fields apply at once, key fields become a pending request. */
  async function officerEdit(ctx: RequestContext, row: OrganizationRow, body: UpdateOrganizationBody) {
    if (!editableStatuses.includes(row.status)) throw forbidden('This organization’s profile cannot be changed now.');
    const refused = staffOnlyFields.filter((f) => body[f] !== undefined);
    if (refused.length)
      throw invalidFields(
        refused.map((field) => ({ field, code: 'not_allowed', message: 'only the center staff change this' })),
      );
    await organizations.checkUpdate(row, body);
    const { key, rest } = split(row, body);
    const hasKey = Object.keys(key).length > 0;
    const hasRest = Object.values(rest).some((v) => v !== undefined);
    if (hasKey && key.uscc && (await q.findOrganizationByUscc(kysely, key.uscc))) throw organizations.duplicateUscc();
    await kysely
      .transaction()
      .execute(async (trx) => {
        if (hasKey) {
          const pending = await trx
            .selectFrom('organization_change_requests')
            .select('id')
            .where('pending_organization_id', '=', row.id)
            .executeTakeFirst();
          if (pending) throw pendingConflict();
        }
        if (hasRest) await organizations.applyUpdate(trx, ctx, row, rest);
        if (!hasKey) return;
        const audit = auditContext(ctx);
        const shown = preview(key);
        const { id } = await trx
          .insertInto('organization_change_requests')
          .values({
            organization_id: row.id,
            pending_organization_id: row.id,
            jurisdiction_id: row.jurisdiction_id,
            jurisdiction_path: row.jurisdiction_path,
            status: 'pending',
            body_sealed: keyring.encrypt(PII_KEY, JSON.stringify(key)),
            preview: JSON.stringify(shown),
            requested_by: audit.actorId,
            requested_by_name: audit.actorName,
            requested_at: nowIso(),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await recordAudit(trx, audit, {
          action: 'organization.change_request',
          entityType: 'organization',
          entityId: row.id,
          jurisdiction: { id: row.jurisdiction_id, path: row.jurisdiction_path },
          details: { requestId: id, fields: Object.keys(key), requested: shown },
        });
      })
      .catch((e: unknown) => {
        throw isUniqueViolation(e) ? pendingConflict() : e;
      });
    if (hasRest) await organizations.changed(row.id);
    return presentOrganization((await q.findOrganization(kysely, row.id))!);
  }
  organizations.handleOfficerEdit(officerEdit);

  /** A request the caller's subtree holds (404 otherwise, exactly like a missing one). */
  async function getVisibleRequest(ctx: RequestContext, id: number, executor: Executor = kysely) {
    const r = await selectRequests(executor).where('r.id', '=', id).executeTakeFirst();
    if (!r) throw notFound('change request');
    const org = await q.findOrganization(executor, r.organization_id);
    if (!org || !inScope(ctx.actor, org.jurisdiction_path) || ctx.actor.role === 'ngo_officer')
      throw notFound('change request');
    return { request: r as RequestRow, org };
  }

  /** Marks a pending request decided; false when someone decided it meanwhile. */
  async function decide(trx: Executor, ctx: RequestContext, id: number, status: string, reason: string | null) {
    const audit = auditContext(ctx);
    const updated = await trx
      .updateTable('organization_change_requests')
      .set({
        status,
        pending_organization_id: null,
        decided_by: audit.actorId,
        decided_by_name: audit.actorName,
        decided_at: nowIso(),
        reason,
      })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1)
      throw new DomainError('conflict', 'This change request has already been decided.');
  }

  /** Tells the officer who asked how their change was decided (in the deciding transaction). */
  async function tellRequester(
    trx: Transaction<Database>,
    ctx: RequestContext,
    request: RequestRow,
    org: OrganizationRow,
    decision: 'approved' | 'rejected',
    reason: string | null,
  ) {
    if (request.requested_by === null) return;
    await notify(trx, {
      audience: { userIds: [request.requested_by] },
      about: { id: org.jurisdiction_id, path: org.jurisdiction_path },
      kind: decision === 'approved' ? 'organization.change_approved' : 'organization.change_rejected',
      title:
        decision === 'approved'
          ? `「${org.name}」的信息变更已通过审核`
          : `「${org.name}」的信息变更未通过审核：${reason ?? ''}`,
      params: { organization: org.name, reason },
      link: `/organizations/${org.id}`,
      exceptUserIds: [ctx.actor.userId],
    });
  }

  return {
    /** The organization's latest change request (pending, or the last decision with its reason). */
    async getOrganizationChangeRequest(ctx: RequestContext, organizationId: number) {
      await organizations.getVisible(ctx, organizationId);
      const r = await selectRequests(kysely)
        .where('r.organization_id', '=', organizationId)
        .orderBy('r.id', 'desc')
        .executeTakeFirst();
      return { item: r ? present(r as RequestRow) : null };
    },

    /** The review queue: pending requests of organizations in the caller's subtree, oldest first. */
    async listChangeRequests(ctx: RequestContext, query: { limit: number }) {
      const rows = await selectRequests(kysely)
        .where('r.status', '=', 'pending')
        .where(inSubtree('o.jurisdiction_path', ctx.actor.scopePath))
        .orderBy('r.id')
        .limit(query.limit)
        .execute();
      return { items: rows.map((r) => present(r as RequestRow)) };
    },

    async approveChangeRequest(ctx: RequestContext, id: number): Promise<OrganizationChangeRequest> {
      const { request, org } = await getVisibleRequest(ctx, id);
      if (request.status !== 'pending')
        throw new DomainError('conflict', 'This change request has already been decided.');
      const body = JSON.parse(keyring.decrypt(PII_KEY, request.body_sealed)) as KeyBody;
      await organizations.checkUpdate(org, body);
      await kysely
        .transaction()
        .execute(async (trx) => {
          await decide(trx, ctx, id, 'approved', null);
          await organizations.applyUpdate(trx, ctx, org, body, `change request ${id}`);
          await tellRequester(trx, ctx, request, org, 'approved', null);
          await recordAudit(trx, auditContext(ctx), {
            action: 'organization.change_approve',
            entityType: 'organization',
            entityId: org.id,
            jurisdiction: { id: org.jurisdiction_id, path: org.jurisdiction_path },
            details: { requestId: id },
          });
        })
        .catch((e: unknown) => {
          throw isUniqueViolation(e) ? organizations.duplicateUscc() : e;
        });
      await organizations.changed(org.id);
      return present((await getVisibleRequest(ctx, id)).request);
    },

    async rejectChangeRequest(ctx: RequestContext, id: number, reason: string): Promise<OrganizationChangeRequest> {
      const { request, org } = await getVisibleRequest(ctx, id);
      await kysely.transaction().execute(async (trx) => {
        await decide(trx, ctx, id, 'rejected', reason);
        await tellRequester(trx, ctx, request, org, 'rejected', reason);
        await recordAudit(trx, auditContext(ctx), {
          action: 'organization.change_reject',
          entityType: 'organization',
          entityId: org.id,
          jurisdiction: { id: org.jurisdiction_id, path: org.jurisdiction_path },
          details: { requestId: id, reason },
        });
      });
      return present((await getVisibleRequest(ctx, id)).request);
    },
  };
}

export type ChangeRequestService = ReturnType<typeof createChangeRequestService>;
