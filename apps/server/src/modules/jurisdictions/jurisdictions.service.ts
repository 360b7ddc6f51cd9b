import type { z } from 'zod';
import type {
  CenterBody,
  CreateJurisdictionBody,
  Department,
  DepartmentKind,
  Jurisdiction,
  PublicSubdistrict,
  createDepartmentBody,
  updateDepartmentBody,
  updateJurisdictionBody,
} from '@qiao/contracts';
import { nowIso } from '../../db/database.js';
import { isUniqueViolation } from '../../db/dialect.js';
import { diffChanges, recordAudit } from '../../platform/audit/audit-log.js';
import type { Deps } from '../../platform/deps.js';
import { DomainError, invalidFields, notFound } from '../../platform/errors.js';
import { auditContext, getScopedJurisdiction, inScope, type RequestContext } from '../../platform/scope.js';
import * as q from './jurisdictions.queries.js';

function presentJurisdiction(row: q.JurisdictionWithCenter): Jurisdiction {
  return {
    id: row.id,
    name: row.name,
    nameEn: row.name_en,
    level: row.level,
    code: row.code,
    ...(row.parent_id === null ? {} : { parentId: row.parent_id }),
    center:
      row.center_name === null
        ? null
        : {
            name: row.center_name,
            address: row.center_address,
            phone: row.center_phone,
            openingHours: row.center_opening_hours,
          },
    createdAt: row.created_at,
  };
}

function presentDepartment(row: {
  id: number;
  name: string;
  jurisdiction_id: number;
  kinds: string;
  created_at: string;
}): Department {
  return {
    id: row.id,
    name: row.name,
    jurisdictionId: row.jurisdiction_id,
    kinds: JSON.parse(row.kinds) as DepartmentKind[],
    createdAt: row.created_at,
  };
}

const childLevel = { district: 'city', subdistrict: 'district' } as const;

/** Jurisdictions (city → district → subdistrict), their service centers and government departments. */
export function createJurisdictionService({ db }: Deps) {
  const kysely = db.kysely;

  async function getJurisdiction(ctx: RequestContext, id: number): Promise<Jurisdiction> {
    const row = await q.findJurisdiction(kysely, id);
    if (!row || !inScope(ctx.actor, row.path)) throw notFound('jurisdiction');
    return presentJurisdiction(row);
  }

  return {
    getJurisdiction,

    /** Every subdistrict with its district and center, for the public application form. */
    async listPublicSubdistricts(): Promise<PublicSubdistrict[]> {
      const rows = await kysely
        .selectFrom('jurisdictions as s')
        .innerJoin('jurisdictions as d', 'd.id', 's.parent_id')
        .leftJoin('centers as c', 'c.jurisdiction_id', 's.id')
        .select([
          's.id',
          's.name',
          's.name_en',
          's.code',
          'd.name as district',
          'd.name_en as district_en',
          'c.name as center',
        ])
        .where('s.level', '=', 'subdistrict')
        .orderBy('s.code')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        nameEn: r.name_en,
        code: r.code,
        district: r.district,
        districtEn: r.district_en,
        center: r.center,
      }));
    },

    async listJurisdictions(ctx: RequestContext): Promise<Jurisdiction[]> {
      return (await q.listJurisdictionsUnder(kysely, ctx.actor.scopePath)).map(presentJurisdiction);
    },

    /** Adds a district under the city or a subdistrict under a district; its code nests in the parent's. */
    async createJurisdiction(ctx: RequestContext, body: CreateJurisdictionBody): Promise<Jurisdiction> {
      const parent = await q.findJurisdiction(kysely, body.parentId);
      if (!parent || !inScope(ctx.actor, parent.path)) {
        throw invalidFields([{ field: 'parentId', code: 'not_found', message: 'no such jurisdiction' }]);
      }
      const errors = [];
      if (parent.level !== childLevel[body.level]) {
        errors.push({
          field: 'parentId',
          code: 'invalid_parent',
          message: `a ${body.level} belongs under a ${childLevel[body.level]}`,
        });
      } else if (
        body.level === 'subdistrict'
          ? !body.code.startsWith(parent.code)
          : body.code.slice(0, 2) !== parent.code.slice(0, 2)
      ) {
        errors.push({
          field: 'code',
          code: 'code_outside_parent',
          message: `the code must begin with the parent's code ${parent.code}`,
        });
      }
      if (errors.length) throw invalidFields(errors);
      const id = await kysely
        .transaction()
        .execute(async (trx) => {
          if (await q.findJurisdictionByCode(trx, body.code)) throw duplicateCode();
          const now = nowIso();
          const { id } = await trx
            .insertInto('jurisdictions')
            .values({
              parent_id: parent.id,
              level: body.level,
              name: body.name,
              name_en: body.nameEn ?? null,
              code: body.code,
              path: `pending:${body.code}`,
              created_at: now,
              updated_at: now,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          const path = `${parent.path}${id}/`;
          await trx.updateTable('jurisdictions').set({ path }).where('id', '=', id).execute();
          if (body.center) await writeCenter(trx, id, body.center, now);
          await recordAudit(trx, auditContext(ctx), {
            action: 'jurisdiction.create',
            entityType: 'jurisdiction',
            entityId: id,
            jurisdiction: { id, path },
            changes: diffChanges(null, { ...body, center: body.center ?? null }, [
              'name',
              'nameEn',
              'level',
              'code',
              'parentId',
              'center',
            ]),
          });
          return id;
        })
        .catch(rethrowDuplicate);
      return getJurisdiction(ctx, id);
    },

    async updateJurisdiction(ctx: RequestContext, id: number, body: z.infer<typeof updateJurisdictionBody>) {
      const row = await q.findJurisdiction(kysely, id);
      if (!row || !inScope(ctx.actor, row.path)) throw notFound('jurisdiction');
      await kysely.transaction().execute(async (trx) => {
        const after = { name: body.name ?? row.name, nameEn: body.nameEn === undefined ? row.name_en : body.nameEn };
        await trx
          .updateTable('jurisdictions')
          .set({ name: after.name, name_en: after.nameEn, updated_at: nowIso() })
          .where('id', '=', id)
          .execute();
        await recordAudit(trx, auditContext(ctx), {
          action: 'jurisdiction.update',
          entityType: 'jurisdiction',
          entityId: id,
          jurisdiction: { id, path: row.path },
          changes: diffChanges({ name: row.name, nameEn: row.name_en }, after, ['name', 'nameEn']),
        });
      });
      return getJurisdiction(ctx, id);
    },

    /** Creates or replaces the service center a subdistrict hosts. */
    async upsertCenter(ctx: RequestContext, id: number, body: CenterBody): Promise<Jurisdiction> {
      const row = await q.findJurisdiction(kysely, id);
      if (!row || !inScope(ctx.actor, row.path)) throw notFound('jurisdiction');
      if (row.level !== 'subdistrict') {
        throw new DomainError('conflict', 'Only a subdistrict hosts a service center.');
      }
      await kysely.transaction().execute(async (trx) => {
        const before = await q.findCenter(trx, id);
        await trx.deleteFrom('centers').where('jurisdiction_id', '=', id).execute();
        await writeCenter(trx, id, body, nowIso());
        await recordAudit(trx, auditContext(ctx), {
          action: before ? 'center.update' : 'center.create',
          entityType: 'center',
          entityId: id,
          jurisdiction: { id, path: row.path },
          changes: diffChanges(
            before
              ? { name: before.name, address: before.address, phone: before.phone, openingHours: before.opening_hours }
              : null,
            { address: null, phone: null, openingHours: null, ...body },
            ['name', 'address', 'phone', 'openingHours'],
          ),
        });
      });
      return getJurisdiction(ctx, id);
    },

    async listDepartments(ctx: RequestContext, jurisdictionId?: number): Promise<Department[]> {
      if (jurisdictionId) await getScopedJurisdiction(kysely, ctx.actor, jurisdictionId);
      return (await q.listDepartmentsUnder(kysely, ctx.actor.scopePath, jurisdictionId)).map(presentDepartment);
    },

    async getDepartment(ctx: RequestContext, id: number): Promise<Department> {
      const row = await q.findDepartment(kysely, id);
      if (!row || !inScope(ctx.actor, row.path)) throw notFound('department');
      return presentDepartment(row);
    },

    async createDepartment(ctx: RequestContext, body: z.infer<typeof createDepartmentBody>): Promise<Department> {
      const j = await q.findJurisdiction(kysely, body.jurisdictionId);
      if (!j || !inScope(ctx.actor, j.path)) {
        throw invalidFields([{ field: 'jurisdictionId', code: 'not_found', message: 'no such jurisdiction' }]);
      }
      const kinds = [...new Set(body.kinds ?? [])];
      const id = await kysely
        .transaction()
        .execute(async (trx) => {
          if (await q.findDepartmentByName(trx, j.id, body.name)) throw duplicateDepartment();
          const now = nowIso();
          const { id } = await trx
            .insertInto('departments')
            .values({
              jurisdiction_id: j.id,
              name: body.name,
              kinds: JSON.stringify(kinds),
              created_at: now,
              updated_at: now,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          await recordAudit(trx, auditContext(ctx), {
            action: 'department.create',
            entityType: 'department',
            entityId: id,
            jurisdiction: { id: j.id, path: j.path },
            changes: diffChanges(null, { name: body.name, jurisdictionId: j.id, kinds }, [
              'name',
              'jurisdictionId',
              'kinds',
            ]),
          });
          return id;
        })
        .catch((e: unknown) => {
          throw isUniqueViolation(e) ? duplicateDepartment() : e;
        });
      return this.getDepartment(ctx, id);
    },

    async updateDepartment(
      ctx: RequestContext,
      id: number,
      body: z.infer<typeof updateDepartmentBody>,
    ): Promise<Department> {
      const row = await q.findDepartment(kysely, id);
      if (!row || !inScope(ctx.actor, row.path)) throw notFound('department');
      const before = { name: row.name, kinds: JSON.parse(row.kinds) as string[] };
      const after = { name: body.name ?? row.name, kinds: body.kinds ? [...new Set(body.kinds)] : before.kinds };
      await kysely
        .transaction()
        .execute(async (trx) => {
          if (after.name !== row.name && (await q.findDepartmentByName(trx, row.jurisdiction_id, after.name))) {
            throw duplicateDepartment();
          }
          await trx
            .updateTable('departments')
            .set({ name: after.name, kinds: JSON.stringify(after.kinds), updated_at: nowIso() })
            .where('id', '=', id)
            .execute();
          await recordAudit(trx, auditContext(ctx), {
            action: 'department.update',
            entityType: 'department',
            entityId: id,
            jurisdiction: { id: row.jurisdiction_id, path: row.path },
            changes: diffChanges(before, after, ['name', 'kinds']),
          });
        })
        .catch((e: unknown) => {
          throw isUniqueViolation(e) ? duplicateDepartment() : e;
        });
      return this.getDepartment(ctx, id);
    },
  };
}

export type JurisdictionService = ReturnType<typeof createJurisdictionService>;

async function writeCenter(
  trx: Parameters<typeof q.findCenter>[0],
  jurisdictionId: number,
  body: CenterBody,
  now: string,
) {
  await trx
    .insertInto('centers')
    .values({
      jurisdiction_id: jurisdictionId,
      name: body.name,
      address: body.address ?? null,
      phone: body.phone ?? null,
      opening_hours: body.openingHours ?? null,
      updated_at: now,
    })
    .execute();
}

const duplicateCode = () => new DomainError('duplicate_code', 'Another jurisdiction already has this division code.');
const duplicateDepartment = () =>
  new DomainError('conflict', 'This jurisdiction already has a department of that name.');

function rethrowDuplicate(e: unknown): never {
  throw isUniqueViolation(e) ? duplicateCode() : e;
}
