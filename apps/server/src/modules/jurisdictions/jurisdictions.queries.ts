import type { Executor } from '../../db/database.js';
import { inSubtree } from '../../platform/scope.js';

const columns = [
  'j.id',
  'j.parent_id',
  'j.level',
  'j.name',
  'j.name_en',
  'j.code',
  'j.path',
  'j.created_at',
  'c.name as center_name',
  'c.address as center_address',
  'c.phone as center_phone',
  'c.opening_hours as center_opening_hours',
] as const;

function selectJurisdictions(db: Executor) {
  return db.selectFrom('jurisdictions as j').leftJoin('centers as c', 'c.jurisdiction_id', 'j.id').select(columns);
}

export type JurisdictionWithCenter = NonNullable<Awaited<ReturnType<typeof findJurisdiction>>>;

export function findJurisdiction(db: Executor, id: number) {
  return selectJurisdictions(db).where('j.id', '=', id).executeTakeFirst();
}

/** Every jurisdiction under `path`, parents before children. */
export function listJurisdictionsUnder(db: Executor, path: string) {
  return selectJurisdictions(db).where(inSubtree('j.path', path)).orderBy('j.path').execute();
}

export function findJurisdictionByCode(db: Executor, code: string) {
  return db.selectFrom('jurisdictions').select(['id']).where('code', '=', code).executeTakeFirst();
}

export function findRootJurisdiction(db: Executor) {
  return db.selectFrom('jurisdictions').selectAll().where('parent_id', 'is', null).executeTakeFirst();
}

export function findCenter(db: Executor, jurisdictionId: number) {
  return db.selectFrom('centers').selectAll().where('jurisdiction_id', '=', jurisdictionId).executeTakeFirst();
}

export function findDepartment(db: Executor, id: number) {
  return db
    .selectFrom('departments as d')
    .innerJoin('jurisdictions as j', 'j.id', 'd.jurisdiction_id')
    .select(['d.id', 'd.name', 'd.jurisdiction_id', 'd.kinds', 'd.created_at', 'j.path'])
    .where('d.id', '=', id)
    .executeTakeFirst();
}

export function listDepartmentsUnder(db: Executor, path: string, jurisdictionId?: number) {
  let q = db
    .selectFrom('departments as d')
    .innerJoin('jurisdictions as j', 'j.id', 'd.jurisdiction_id')
    .select(['d.id', 'd.name', 'd.jurisdiction_id', 'd.kinds', 'd.created_at', 'j.path'])
    .where(inSubtree('j.path', path));
  if (jurisdictionId) q = q.where('d.jurisdiction_id', '=', jurisdictionId);
  return q.orderBy('j.path').orderBy('d.name').execute();
}

export function findDepartmentByName(db: Executor, jurisdictionId: number, name: string) {
  return db
    .selectFrom('departments')
    .select('id')
    .where('jurisdiction_id', '=', jurisdictionId)
    .where('name', '=', name)
    .executeTakeFirst();
}
