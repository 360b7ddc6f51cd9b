import type { Kysely } from 'kysely';
import type { CreateServiceFieldBody, FieldError, ServiceField, UpdateServiceFieldBody } from '@qiao/contracts';
import { isUniqueViolation } from '../../db/dialect.js';
import type { Database, ServiceFieldTable } from '../../db/schema.js';
import { recordAudit } from '../../platform/audit/audit-log.js';
import type { Deps } from '../../platform/deps.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { auditContext, type RequestContext } from '../../platform/scope.js';

function present(r: ServiceFieldTable): ServiceField {
  return {
    code: r.code,
    labelZh: r.label_zh,
    labelEn: r.label_en,
    retired: r.retired_at !== null,
    position: r.position,
    updatedAt: r.updated_at,
  };
}

/**
 * Checks codes sent for a record against the taxonomy: each must be a known field, and a retired
 * one only when the record already had it (`kept`). One error per offending entry, named
 * `<path>.<index>` (or `path` itself for a single value).
 */
export async function checkServiceFields(
  db: Kysely<Database>,
  codes: readonly string[] | undefined | null,
  path: string,
  kept: readonly string[] = [],
  single = false,
): Promise<FieldError[]> {
  if (!codes || codes.length === 0) return [];
  const rows = await db
    .selectFrom('service_fields')
    .select(['code', 'retired_at'])
    .where('code', 'in', [...new Set(codes)])
    .execute();
  const known = new Map(rows.map((r) => [r.code, r.retired_at !== null]));
  const errors: FieldError[] = [];
  codes.forEach((code, i) => {
    const field = single ? path : `${path}.${i}`;
    const retired = known.get(code);
    if (retired === undefined)
      errors.push({ field, code: 'unknown_service_field', message: `no field of service ${code}` });
    else if (retired && !kept.includes(code))
      errors.push({ field, code: 'retired_service_field', message: `the field of service ${code} is retired` });
  });
  return errors;
}

/** The configurable taxonomy of fields of service: any signed-in user reads it, the city admin keeps it. */
export function createServiceFieldService({ db, clock }: Deps) {
  const kysely = db.kysely;
  const now = () => (clock ? clock() : new Date()).toISOString();

  async function all() {
    return kysely.selectFrom('service_fields').selectAll().orderBy('position').orderBy('code').execute();
  }

  return {
    async listServiceFields() {
      return { items: (await all()).map(present) };
    },

    async listPublicServiceFields() {
      return {
        items: (await all()).map((r) => {
          const { code, labelZh, labelEn, retired } = present(r);
          return { code, labelZh, labelEn, retired };
        }),
      };
    },

    async createServiceField(ctx: RequestContext, body: CreateServiceFieldBody): Promise<ServiceField> {
      const at = now();
      const row = await kysely
        .transaction()
        .execute(async (trx) => {
          const last = await trx
            .selectFrom('service_fields')
            .select((eb) => eb.fn.max('position').as('max'))
            .executeTakeFirst();
          const values: ServiceFieldTable = {
            code: body.code,
            label_zh: body.labelZh,
            label_en: body.labelEn,
            position: Number(last?.max ?? 0) + 10,
            retired_at: null,
            created_at: at,
            updated_at: at,
          };
          await trx.insertInto('service_fields').values(values).execute();
          await recordAudit(trx, auditContext(ctx), {
            action: 'service_field.create',
            entityType: 'service_field',
            entityId: body.code,
            changes: [
              { field: 'labelZh', before: null, after: body.labelZh },
              { field: 'labelEn', before: null, after: body.labelEn },
            ],
          });
          return values;
        })
        .catch((e: unknown) => {
          throw isUniqueViolation(e)
            ? new DomainError('duplicate_code', 'A field of service already has this code.')
            : e;
        });
      return present(row);
    },

    async updateServiceField(ctx: RequestContext, code: string, body: UpdateServiceFieldBody): Promise<ServiceField> {
      const at = now();
      const row = await kysely.transaction().execute(async (trx) => {
        const before = await trx.selectFrom('service_fields').selectAll().where('code', '=', code).executeTakeFirst();
        if (!before) throw notFound('field of service');
        const after: ServiceFieldTable = {
          ...before,
          label_zh: body.labelZh ?? before.label_zh,
          label_en: body.labelEn ?? before.label_en,
          retired_at: body.retired === undefined ? before.retired_at : body.retired ? (before.retired_at ?? at) : null,
        };
        const changes = [
          { field: 'labelZh', before: before.label_zh, after: after.label_zh },
          { field: 'labelEn', before: before.label_en, after: after.label_en },
          { field: 'retired', before: before.retired_at !== null, after: after.retired_at !== null },
        ].filter((c) => c.before !== c.after);
        if (changes.length === 0) return before;
        after.updated_at = at;
        await trx
          .updateTable('service_fields')
          .set({ label_zh: after.label_zh, label_en: after.label_en, retired_at: after.retired_at, updated_at: at })
          .where('code', '=', code)
          .execute();
        await recordAudit(trx, auditContext(ctx), {
          action: 'service_field.update',
          entityType: 'service_field',
          entityId: code,
          changes,
        });
        return after;
      });
      return present(row);
    },
  };
}

export type ServiceFieldService = ReturnType<typeof createServiceFieldService>;
