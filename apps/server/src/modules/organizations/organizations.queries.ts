import { sql } from 'kysely';
import type { ListOrganizationsQuery } from '@qiao/contracts';
import type { Engine, Executor } from '../../db/database.js';
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
 * Up to this many organizations matching a name query are fetched from the index and then
 * filtered, ordered and paged; a query matching more is common enough that walking the names in
 * order and testing each finds a page sooner. Measured in ADR 0007.
 */
export const SEARCH_CANDIDATES = 1_000;

/**
 * The ids of every organization whose name contains `text`, or null when there are more than
 * `SEARCH_CANDIDATES` of them or the text is a single character (no index serves it). Two
 * characters use the bigram table; three and more FTS5 trigram (SQLite) or pg_trgm (PostgreSQL).
 * The LIMIT sits inside the index lookup: that is what keeps it cheap (STACK-NOTES).
 */
export async function findNameCandidates(db: Executor, engine: Engine, text: string): Promise<number[] | null> {
  const length = [...text].length;
  if (length < 2) return null;
  let rows: { id: number }[];
  if (length === 2) {
    rows = await db
      .selectFrom('organization_name_bigrams')
      .select('organization_id as id')
      .where('bigram', '=', text.toLowerCase())
      .limit(SEARCH_CANDIDATES + 1)
      .execute();
  } else if (engine === 'sqlite') {
    const phrase = `"${text.replace(/"/g, '""')}"`;
    rows = (
      await sql<{
        id: number;
      }>`select rowid as id from organizations_fts where organizations_fts match ${phrase} limit ${
        SEARCH_CANDIDATES + 1
      }`.execute(db)
    ).rows;
  } else {
    rows = await db
      .selectFrom('organizations')
      .select('id')
      .where(nameContains(engine, text))
      .limit(SEARCH_CANDIDATES + 1)
      .execute();
  }
  return rows.length > SEARCH_CANDIDATES ? null : rows.map((r) => r.id);
}

/** Case-insensitive substring test on the name, as FTS5 and the lower-cased bigrams answer it. */
function nameContains(engine: Engine, text: string) {
  const pattern = `%${escapeLike(text)}%`;
  return engine === 'sqlite'
    ? sql<boolean>`name like ${pattern} escape '\\'`
    : sql<boolean>`name ilike ${pattern} escape '\\'`;
}

/**
 * One keyset page of organizations under `scopePath`. A name query is answered from its index
 * candidates when they are few (fetched, then filtered, ordered and paged here), otherwise by
 * walking names in order and testing each, which stops as soon as the page is full.
 */
export async function listOrganizationsUnder(
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
    const ids = await findNameCandidates(db, engine, query.q);
    if (ids?.length === 0) return [];
    if (ids) {
      // One bound parameter whatever the count, so the statement text (and SQLite's cache) stays the same.
      q = q.where(
        engine === 'sqlite'
          ? sql<boolean>`id in (select value from json_each(${JSON.stringify(ids)}))`
          : sql<boolean>`id = any(${ids}::bigint[])`,
      );
    } else {
      q = q.where(nameContains(engine, query.q));
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
