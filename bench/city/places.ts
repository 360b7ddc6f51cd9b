import type { InsertObject } from 'kysely';
import type { Database } from '../../apps/server/src/db/schema.js';
import { insertStream, iso, type GenContext, type Place } from './context.js';
import { departmentTemplates, districtNames, placeNames } from './names.js';

/** Inserts places with a placeholder path, then writes each real path from the new id. */
async function insertPlaces(
  ctx: GenContext,
  parents: Place[],
  rows: { parent: number; level: 'district' | 'subdistrict'; name: string; nameEn: string; code: string }[],
): Promise<Place[]> {
  const now = iso(ctx.now);
  return ctx.db.transaction().execute(async (trx) => {
    const values = rows.map((r) => ({
      parent_id: parents[r.parent]!.id,
      level: r.level,
      name: r.name,
      name_en: r.nameEn,
      code: r.code,
      path: `pending:${r.code}`,
      created_at: now,
      updated_at: now,
    }));
    const inserted = await trx.insertInto('jurisdictions').values(values).returning(['id', 'code']).execute();
    const ids = new Map(inserted.map((r) => [r.code, r.id]));
    const places: Place[] = [];
    for (const r of rows) {
      const id = ids.get(r.code)!;
      const place = { id, code: r.code, name: r.name, path: `${parents[r.parent]!.path}${id}/` };
      await trx.updateTable('jurisdictions').set({ path: place.path }).where('id', '=', id).execute();
      places.push(place);
    }
    return places;
  });
}

export async function generateJurisdictions(ctx: GenContext): Promise<number> {
  const { sizes, root } = ctx;
  if (sizes.districts > districtNames.length) throw new Error(`At most ${districtNames.length} districts`);
  const districtRows = districtNames.slice(0, sizes.districts).map(([name, nameEn, suffix]) => ({
    parent: 0,
    level: 'district' as const,
    name,
    nameEn,
    code: `${root.code.slice(0, 2)}01${suffix}`,
  }));
  ctx.districts = await insertPlaces(ctx, [root], districtRows);

  const names = placeNames(ctx.rng, sizes.subdistricts);
  const nextCode = ctx.districts.map(() => ({ street: 1, town: 100 }));
  const subRows = names.map((n, i) => {
    const district = i % sizes.districts;
    const counter = nextCode[district]!;
    const serial = n.town ? counter.town++ : counter.street++;
    const code = `${ctx.districts[district]!.code}${String(serial).padStart(3, '0')}`;
    return { parent: district, level: 'subdistrict' as const, name: n.name, nameEn: n.nameEn, code, stem: n.stem };
  });
  const subs = await insertPlaces(ctx, ctx.districts, subRows);
  ctx.subdistricts = subs.map((p, i) => ({ ...p, district: subRows[i]!.parent, stem: subRows[i]!.stem }));
  return ctx.districts.length + ctx.subdistricts.length;
}

export function* centerRows(ctx: GenContext): Generator<InsertObject<Database, 'centers'>> {
  for (const [i, s] of ctx.subdistricts.entries()) {
    const district = ctx.districts[s.district]!.name;
    yield {
      jurisdiction_id: s.id,
      name: `${s.stem}社会组织服务中心`,
      address: `${ctx.root.name}${district}${s.stem}路${10 + ctx.rng.int(890)}号`,
      phone: `021-${String(50000000 + i * 7919).slice(0, 8)}`,
      opening_hours: '周一至周五 9:00–17:00',
      updated_at: iso(ctx.now),
    };
  }
}

function* departmentRows(ctx: GenContext): Generator<InsertObject<Database, 'departments'>> {
  const now = iso(ctx.now);
  const levels = [
    [ctx.districts, departmentTemplates.district],
    [ctx.subdistricts, departmentTemplates.subdistrict],
  ] as const;
  for (const [places, templates] of levels) {
    for (const place of places) {
      for (const t of templates) {
        yield {
          jurisdiction_id: place.id,
          name: t.name,
          kinds: JSON.stringify(t.kinds),
          created_at: now,
          updated_at: now,
        };
      }
    }
  }
}

export async function generateDepartments(ctx: GenContext): Promise<number> {
  const count = await insertStream(ctx.db, 'departments', departmentRows(ctx));
  const rows = await ctx.db.selectFrom('departments').select(['id', 'jurisdiction_id']).orderBy('id').execute();
  for (const r of rows)
    ctx.departments.set(r.jurisdiction_id, [...(ctx.departments.get(r.jurisdiction_id) ?? []), r.id]);
  return count;
}
