import { expressionBuilder, sql, type Expression, type SqlBool } from 'kysely';
import type { ListOrganizationsQuery } from '@qiao/contracts';
import type { Selectable, Updateable } from 'kysely';
import type { Engine, Executor } from '../../db/database.js';
import { bulkInsert, containsPattern } from '../../db/dialect.js';
import type { Database, OrganizationRow, OrganizationTable, OrganizationVersionTable } from '../../db/schema.js';
import { inSubtree, subtreeRange } from '../../platform/scope.js';
import { hasPendingNamePostings } from './name-postings.js';

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

/**
 * Up to this many organizations matching a name query are fetched from an index and then
 * filtered, ordered and paged; past that the query is common enough in the scope that walking the
 * names in order and testing each fills a page sooner. Measured in ADR 0008.
 */
export const SEARCH_CANDIDATES = 2_000;

/** The distinct, lower-cased two-character pieces of `text`, as the bigram table stores them. */
export function nameBigrams(text: string): string[] {
  const chars = [...text.toLowerCase()];
  return [...new Set(chars.slice(1).map((c, i) => chars[i]! + c))];
}

/**
 * Candidate ids for a name query in a scope; null for a single character (no index serves it);
 * `walk` with the rarest bigram when every index answers more than `SEARCH_CANDIDATES`. `exact` says whether every
 * candidate matches (else the caller tests the name). Three or more characters first ask the
 * trigram index (FTS5 / pg_trgm), whose answer is exact but city-wide; then, as for two
 * characters, the bigram table within the scope, taking the rarest of the query's bigrams. The
 * LIMIT sits inside each index lookup: that is what keeps it cheap (STACK-NOTES).
 */
export async function findNameCandidates(
  db: Executor,
  engine: Engine,
  scopePath: string,
  text: string,
): Promise<{ ids: number[]; exact: boolean } | { walk: string; late: LateMatch[] | null } | null> {
  const length = [...text].length;
  if (length < 2) return null;
  if (length >= 3) {
    const rows =
      engine === 'sqlite'
        ? (
            await sql<{
              id: number;
            }>`select rowid as id from organizations_fts where organizations_fts match ${`"${text.replace(/"/g, '""')}"`} limit ${
              SEARCH_CANDIDATES + 1
            }`.execute(db)
          ).rows
        : await db
            .selectFrom('organizations')
            .select('id')
            .where(nameContains(engine, text))
            .limit(SEARCH_CANDIDATES + 1)
            .execute();
    if (rows.length <= SEARCH_CANDIDATES) return { ids: rows.map((r) => r.id), exact: true };
  }
  let rarest: { id: number }[] | null = null;
  let rarestBigram = '';
  for (const bigram of nameBigrams(text)) {
    const rows = await db
      .selectFrom('organization_name_bigrams')
      .select('organization_id as id')
      .where('bigram', '=', bigram)
      .where(pathIn('jurisdiction_path', scopePath))
      .limit(SEARCH_CANDIDATES + 1)
      .execute();
    if (!rarest || rows.length < rarest.length) [rarest, rarestBigram] = [rows, bigram];
  }
  // Names whose postings an import has not written yet (ADR 0014) are tested directly: a few thousand at most.
  const late = (await hasPendingNamePostings(db))
    ? await pendingNameMatches(db, engine, scopePath, text, SEARCH_CANDIDATES + 1)
    : [];
  if (!rarest || rarest.length + late.length > SEARCH_CANDIDATES)
    return { walk: rarestBigram, late: late.length > SEARCH_CANDIDATES ? null : late };
  const ids = new Set(rarest.map((r) => r.id));
  for (const r of late) ids.add(r.id);
  return { ids: [...ids], exact: length === 2 };
}

/** An organization whose name postings are pending and whose name matches, with its path. */
interface LateMatch {
  id: number;
  path: string;
}

/** Up to `limit` organizations under `scopePath` whose postings are pending (ADR 0014) and whose name contains `text`. */
function pendingNameMatches(
  db: Executor,
  engine: Engine,
  scopePath: string,
  text: string,
  limit: number,
): Promise<LateMatch[]> {
  return db
    .selectFrom('organization_name_pending as q')
    .innerJoin('organizations', 'organizations.id', 'q.organization_id')
    .select(['organizations.id as id', 'organizations.jurisdiction_path as path'])
    .where(pathIn('organizations.jurisdiction_path', scopePath))
    .where(nameContains(engine, text))
    .limit(limit)
    .execute();
}

/** Case-insensitive substring test on the name, as FTS5 and the lower-cased bigrams answer it. */
function nameContains(engine: Engine, text: string) {
  const pattern = containsPattern(text);
  return engine === 'sqlite'
    ? sql<boolean>`name like ${pattern} escape '\\'`
    : sql<boolean>`name ilike ${pattern} escape '\\'`;
}

/** Organizations belong to subdistricts, the third level: a subdistrict's subtree holds its own path only. */
const isSubdistrictPath = (path: string) => path.split('/').length - 2 >= 3;

/** The scope on a path column: one path for a subdistrict (an equality keeps later index columns in order), else a range. */
function pathIn(column: string, scopePath: string) {
  return isSubdistrictPath(scopePath) ? sql<boolean>`${sql.ref(column)} = ${scopePath}` : inSubtree(column, scopePath);
}

/**
 * The scope as the list indexes want it. A subdistrict is one path: (jurisdiction_path, status,
 * name) stays in name order. A district or the city is a path range, which no index can walk in
 * name order; SQLite's planner would sort the whole range (290 ms for a district at 10^6), so the
 * unary `+` keeps it on (status, name, id, jurisdiction_path) or (name, id, jurisdiction_path),
 * testing the path from the index (2 ms). PostgreSQL's statistics choose that walk by themselves.
 */
function inScope(engine: Engine, scopePath: string) {
  if (engine === 'postgres' || isSubdistrictPath(scopePath)) return pathIn('jurisdiction_path', scopePath);
  const [low, high] = subtreeRange(scopePath);
  return sql<boolean>`(+jurisdiction_path >= ${low} and +jurisdiction_path < ${high})`;
}

/** `id` among `ids`, as one bound parameter whatever the count, so the statement text (and SQLite's cache) stays the same. */
function idIn(engine: Engine, ids: number[]) {
  return engine === 'sqlite'
    ? sql<SqlBool>`id in (select value from json_each(${JSON.stringify(ids)}))`
    : sql<SqlBool>`id = any(${ids}::bigint[])`;
}

/** A subdistrict with up to this many postings of a walked query's rarest bigram is answered from them. */
const BRANCH_CANDIDATES = 300;

const pathDepth = (path: string) => path.split('/').length - 2;

/**
 * One keyset page of organizations under `scopePath`. A name query is answered from its index
 * candidates when they are few (fetched, then filtered, ordered and paged here), otherwise by
 * walking names in order and testing each, which stops as soon as the page is full. Under a
 * district, a walk by name runs per subdistrict (each an index range in name order) and the pages
 * are merged: names begin with their place, so a district's names are not spread evenly through a
 * city-wide name index (walking it took 9–90 ms at 10^6; the merge under 1 ms).
 */
export async function listOrganizationsUnder(
  db: Executor,
  engine: Engine,
  scopePath: string,
  query: ListOrganizationsQuery & { exact?: { uscc?: string; filingNumber?: string }; onlyId?: number },
): Promise<OrganizationRow[]> {
  const sort = SORT[query.sort];
  const eb = expressionBuilder<Database, 'organizations'>();
  const filters: Expression<SqlBool>[] = [];
  if (query.onlyId !== undefined) filters.push(eb('id', '=', query.onlyId));
  if (query.kind) filters.push(eb('kind', '=', query.kind));
  if (query.status) filters.push(eb('status', '=', query.status));
  if (query.partyBranch) filters.push(eb('party_branch_kind', '=', query.partyBranch));
  if (query.contactStatus) filters.push(eb('contact_status', '=', query.contactStatus));
  // fields is JSON text: the quoted code, escaped, so that `a_b` does not also match `axb`.
  if (query.field) filters.push(sql<SqlBool>`fields like ${containsPattern(`"${query.field}"`)} escape '\\'`);
  let walk = true;
  let walkBigram: string | null = null;
  let late: LateMatch[] = [];
  if (query.exact?.uscc) filters.push(eb('uscc', '=', query.exact.uscc));
  else if (query.exact?.filingNumber) filters.push(eb('filing_number', '=', query.exact.filingNumber));
  else if (query.q) {
    const candidates = await findNameCandidates(db, engine, scopePath, query.q);
    if (candidates && 'ids' in candidates) {
      if (!candidates.ids.length) return [];
      filters.push(idIn(engine, candidates.ids));
      walk = false;
    } else if (candidates) {
      // Past a few thousand pending matches, no subdistrict is answered from its postings alone.
      walkBigram = candidates.late ? candidates.walk : null;
      late = candidates.late ?? [];
    }
    if (!candidates || !('ids' in candidates) || !candidates.exact) filters.push(nameContains(engine, query.q));
  }
  const cursor = decodeCursor(query.cursor);
  if (cursor) filters.push(sql<SqlBool>`(${sort} > ${cursor[0]} or (${sort} = ${cursor[0]} and id > ${cursor[1]}))`);
  const limit = query.limit + 1;

  if (walk && query.sort === 'name' && query.onlyId === undefined && pathDepth(scopePath) === 2) {
    // Each subdistrict is a branch, and so is the district itself: an imported organization waits
    // there until staff place it in a subdistrict.
    const subdistricts = [
      ...(await db
        .selectFrom('jurisdictions')
        .select('path')
        .where(inSubtree('path', scopePath))
        .where('level', '=', 'subdistrict')
        .execute()),
      { path: scopePath },
    ];
    // A query common in the district may still be rare in some of its subdistricts (a place's name):
    // there the subdistrict's own postings answer, so no branch walks a whole subdistrict in vain.
    const local = new Map<string, number[]>();
    if (walkBigram) {
      for (const { path } of subdistricts) {
        const rows = await db
          .selectFrom('organization_name_bigrams')
          .select('organization_id as id')
          .where('bigram', '=', walkBigram)
          .where('jurisdiction_path', '=', path)
          .limit(BRANCH_CANDIDATES + 1)
          .execute();
        const pending = late.filter((r) => r.path === path);
        if (rows.length + pending.length <= BRANCH_CANDIDATES)
          local.set(path, [...rows.map((r) => r.id), ...pending.map((r) => r.id)]);
      }
    }
    const branches = subdistricts.filter(({ path }) => local.get(path)?.length !== 0);
    if (!branches.length) return [];
    const branch = (path: string) =>
      db
        .selectFrom((d) =>
          d
            .selectFrom('organizations')
            .select(['id', 'name'])
            .where('jurisdiction_path', '=', path)
            .$if(local.has(path), (b) => b.where(idIn(engine, local.get(path)!)))
            .where(eb.and(filters))
            .orderBy('name')
            .orderBy('id')
            .limit(limit)
            .as('b'),
        )
        .select(['id', 'name']);
    let merged = branch(branches[0]!.path);
    for (const s of branches.slice(1)) merged = merged.unionAll(branch(s.path));
    const top = await merged.orderBy('name').orderBy('id').limit(limit).execute();
    if (!top.length) return [];
    const rows = await db
      .selectFrom('organizations')
      .selectAll()
      .where(
        idIn(
          engine,
          top.map((r) => r.id),
        ),
      )
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    return top.map((r) => byId.get(r.id)!);
  }
  return db
    .selectFrom('organizations')
    .selectAll()
    .where(inScope(engine, scopePath))
    .where(eb.and(filters))
    .orderBy(sort)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** An organization's versions, newest first, with the acting account's current display name (null once it is gone). */
export function listVersions(db: Executor, organizationId: number) {
  return db
    .selectFrom('organization_versions as v')
    .leftJoin('users as u', 'u.id', 'v.actor_id')
    .selectAll('v')
    .select('u.display_name as actor_display_name')
    .where('v.organization_id', '=', organizationId)
    .orderBy('v.version', 'desc')
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
/**
 * The organizations holding any of `usccs`. The list is one bound parameter (`json_each` / `any`),
 * so a lookup of 5,000 codes is one statement whose text never changes: SQLite's bound-parameter
 * limit does not apply and the statement cache holds one entry, not one per list length.
 */
export function findOrganizationsByUsccs(db: Executor, engine: Engine, usccs: readonly string[]) {
  if (!usccs.length) return Promise.resolve([]);
  return db
    .selectFrom('organizations')
    .selectAll()
    .where(
      engine === 'sqlite'
        ? sql<SqlBool>`uscc in (select value from json_each(${JSON.stringify(usccs)}))`
        : sql<SqlBool>`uscc = any(${usccs}::text[])`,
    )
    .execute();
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
/** Every column of an organization but its id, in the order bulk inserts bind them. */
const organizationColumns = [
  'kind',
  'name',
  'name_en',
  'uscc',
  'filing_number',
  'status',
  'jurisdiction_id',
  'jurisdiction_path',
  'founded_on',
  'registered_on',
  'registration_authority',
  'supervising_unit',
  'address',
  'pic_name',
  'pic_id_sealed',
  'pic_id_masked',
  'pic_id_index',
  'pic_phone_sealed',
  'pic_phone_masked',
  'fields',
  'members_count',
  'staff_count',
  'volunteers_count',
  'needs',
  'capabilities',
  'party_branch_kind',
  'party_branch',
  'certificate_expires_on',
  'contact_status',
  'unreachable_since',
  'version',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof OrganizationRow)[];

/** New organizations in one statement (a bulk import's batch); keep the row count to a few sizes (bulkInsert). */
export async function insertOrganizations(db: Executor, engine: Engine, values: Omit<OrganizationRow, 'id'>[]) {
  if (!values.length) return [];
  const result = await db.executeQuery<{ id: number; uscc: string | null }>(
    bulkInsert(engine, 'organizations', organizationColumns, values, ['id', 'uscc']),
  );
  return result.rows;
}

export function updateOrganizationColumns(db: Executor, id: number, columns: Updateable<OrganizationTable>) {
  return db.updateTable('organizations').set(columns).where('id', '=', id).execute();
}

/** Versions of the change history written in bulk (a registry import); the caller writes the one audit event. */
export async function insertVersions(
  db: Executor,
  engine: Engine,
  versions: Omit<Selectable<OrganizationVersionTable>, 'id'>[],
) {
  if (!versions.length) return;
  await db.executeQuery(bulkInsert(engine, 'organization_versions', versionColumns, versions));
}

const versionColumns = [
  'organization_id',
  'version',
  'changed_at',
  'actor_id',
  'actor_name',
  'action',
  'reason',
  'changes',
] as const satisfies readonly (keyof OrganizationVersionTable)[];
