import { sql } from 'kysely';
import type { ListOrganizationsQuery } from '@qiao/contracts';
import type { Insertable, Updateable } from 'kysely';
import type { Engine, Executor } from '../../db/database.js';
import type { OrganizationTable, OrganizationVersionTable } from '../../db/schema.js';
import { inSubtree } from '../../platform/scope.js';

export function findOrganization(db: Executor, id: number) {
  return db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findOrganizationByUscc(db: Executor, uscc: string) {
  return db.selectFrom('organizations').select(['id']).where('uscc', '=', uscc).executeTakeFirst();
}

/** The next filing number of a subdistrict for a year; the row lock serializes concurrent filings. */
export async function nextFilingSequence(db: Executor, jurisdictionId: number, year: number): Promise<number> {
  const row = await db
    .insertInto('filing_sequences')
    .values({ jurisdiction_id: jurisdictionId, year, last: 1 })
    .onConflict((oc) => oc.columns(['jurisdiction_id', 'year']).doUpdateSet({ last: sql`filing_sequences.last + 1` }))
    .returning('last')
    .executeTakeFirstOrThrow();
  return row.last;
}

const SORT = {
  name: sql<string>`name`,
  foundedOn: sql<string>`coalesce(founded_on, '')`,
  updatedAt: sql<string>`updated_at`,
} as const;

export type Cursor = [string, number];

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

export function decodeCursor(text: string | undefined): Cursor | null {
  if (!text) return null;
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(c) && c.length === 2 && typeof c[0] === 'string' && Number.isSafeInteger(c[1]))
      return c as Cursor;
  } catch {
    // An unreadable cursor starts from the beginning, like none.
  }
  return null;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * One keyset page of organizations under `scopePath`. A name query of 3+ characters uses the
 * trigram index (FTS5 on SQLite, pg_trgm on PostgreSQL); shorter ones fall back to a LIKE scan.
 */
export function listOrganizationsUnder(
  db: Executor,
  engine: Engine,
  scopePath: string,
  query: ListOrganizationsQuery & { exact?: { uscc?: string; filingNumber?: string }; onlyId?: number },
) {
  const sort = SORT[query.sort];
  let q = db.selectFrom('organizations').selectAll().where(inSubtree('jurisdiction_path', scopePath));
  if (query.onlyId !== undefined) q = q.where('id', '=', query.onlyId);
  if (query.kind) q = q.where('kind', '=', query.kind);
  if (query.status) q = q.where('status', '=', query.status);
  if (query.partyBranch) q = q.where('party_branch_kind', '=', query.partyBranch);
  if (query.contactStatus) q = q.where('contact_status', '=', query.contactStatus);
  if (query.field) q = q.where('fields', 'like', `%"${query.field}"%`);
  if (query.exact?.uscc) q = q.where('uscc', '=', query.exact.uscc);
  else if (query.exact?.filingNumber) q = q.where('filing_number', '=', query.exact.filingNumber);
  else if (query.q) {
    const text = query.q;
    if (engine === 'sqlite' && [...text].length >= 3) {
      const phrase = `"${text.replace(/"/g, '""')}"`;
      q = q.where(sql<boolean>`id in (select rowid from organizations_fts where organizations_fts match ${phrase})`);
    } else {
      q = q.where(sql<boolean>`name like ${`%${escapeLike(text)}%`} escape '\\'`);
    }
  }
  const cursor = decodeCursor(query.cursor);
  if (cursor) q = q.where(sql<boolean>`(${sort} > ${cursor[0]} or (${sort} = ${cursor[0]} and id > ${cursor[1]}))`);
  return q
    .orderBy(sort)
    .orderBy('id')
    .limit(query.limit + 1)
    .execute();
}

export function listVersions(db: Executor, organizationId: number) {
  return db
    .selectFrom('organization_versions')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('version', 'desc')
    .execute();
}

export function listActivities(db: Executor, organizationId: number) {
  return db
    .selectFrom('activities')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('occurred_on', 'desc')
    .orderBy('id', 'desc')
    .limit(500)
    .execute();
}

/** The organizations holding any of `usccs`, whole rows: a registry import compares and updates them. */
export function findOrganizationsByUsccs(db: Executor, usccs: readonly string[]) {
  if (!usccs.length) return Promise.resolve([]);
  return db.selectFrom('organizations').selectAll().where('uscc', 'in', usccs).execute();
}

/** The registered organizations (with a USCC) under `scopePath`, in id order, one keyset page. */
export function listRegisteredUnder(db: Executor, scopePath: string, afterId: number, limit: number) {
  return db
    .selectFrom('organizations')
    .selectAll()
    .where(inSubtree('jurisdiction_path', scopePath))
    .where('uscc', 'is not', null)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** The community organizations (filed, no USCC) under `scopePath`, in filing-number order, one keyset page. */
export function listFiledUnder(db: Executor, scopePath: string, afterId: number, limit: number) {
  return db
    .selectFrom('organizations')
    .selectAll()
    .where(inSubtree('jurisdiction_path', scopePath))
    .where('kind', '=', 'community_org')
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Many organizations in one statement (a registry import's batch); answers each new id with its USCC. */
export function insertOrganizations(db: Executor, values: Insertable<OrganizationTable>[]) {
  if (!values.length) return Promise.resolve([]);
  return db.insertInto('organizations').values(values).returning(['id', 'uscc']).execute();
}

export function updateOrganizationColumns(db: Executor, id: number, columns: Updateable<OrganizationTable>) {
  return db.updateTable('organizations').set(columns).where('id', '=', id).execute();
}

/** Versions of the change history written in bulk (a registry import); the caller writes the one audit event. */
export function insertVersions(db: Executor, versions: Insertable<OrganizationVersionTable>[]) {
  if (!versions.length) return Promise.resolve();
  return db.insertInto('organization_versions').values(versions).execute();
}
