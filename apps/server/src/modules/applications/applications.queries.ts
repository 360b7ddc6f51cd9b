import { containsPattern } from '../../db/dialect.js';
import { sql } from 'kysely';
import type { ApplicationStatus } from '@qiao/contracts';
import type { Executor } from '../../db/database.js';
import { inSubtree } from '../../platform/scope.js';

const withApplicant = (db: Executor) =>
  db
    .selectFrom('applications as a')
    .innerJoin('users as u', 'u.id', 'a.applicant_id')
    .selectAll('a')
    .select(['u.username as applicant_username', 'u.display_name as applicant_display_name']);

export function findApplication(db: Executor, id: number) {
  return withApplicant(db).where('a.id', '=', id).executeTakeFirst();
}

export type ApplicationWithApplicant = NonNullable<Awaited<ReturnType<typeof findApplication>>>;

export function findApplicationOfApplicant(db: Executor, userId: number) {
  return withApplicant(db).where('a.applicant_id', '=', userId).executeTakeFirst();
}

/** Moves an application from `from`; answers false when it was no longer there (someone else moved it). */
export async function moveApplication(
  db: Executor,
  id: number,
  from: ApplicationStatus,
  set: {
    status: ApplicationStatus;
    decision_reason?: string | null;
    reviewer_id?: number | null;
    reviewer_name?: string | null;
    decided_at?: string | null;
    submitted_at?: string;
    updated_at: string;
  },
): Promise<boolean> {
  const r = await db
    .updateTable('applications')
    .set(set)
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export type QueueCursor = [string, number];

export function encodeCursor(c: QueueCursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

export function decodeCursor(text: string | undefined): QueueCursor | null {
  if (!text) return null;
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(c) && c.length === 2 && typeof c[0] === 'string' && Number.isSafeInteger(c[1]))
      return c as QueueCursor;
  } catch {
    // An unreadable cursor starts from the beginning, like none.
  }
  return null;
}

/** One keyset page of the review queue under `scopePath`, newest first. */
export function listApplicationsUnder(
  db: Executor,
  scopePath: string,
  query: { status?: ApplicationStatus; limit: number; cursor?: string },
) {
  let q = withApplicant(db).where(inSubtree('a.jurisdiction_path', scopePath));
  if (query.status) q = q.where('a.status', '=', query.status);
  const cursor = decodeCursor(query.cursor);
  if (cursor)
    q = q.where(sql<boolean>`(a.created_at < ${cursor[0]} or (a.created_at = ${cursor[0]} and a.id < ${cursor[1]}))`);
  return q
    .orderBy('a.created_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(query.limit + 1)
    .execute();
}

/**
 * Organizations under `districtPath` sharing at least one bigram of the name: the candidates the
 * similarity is computed on. Bounded, so a common bigram cannot make a review slow.
 */
export function findNameCandidates(db: Executor, districtPath: string, bigrams: string[], exceptId: number, max = 200) {
  if (bigrams.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('organizations')
    .select(['id', 'name', 'status', 'jurisdiction_path'])
    .where(inSubtree('jurisdiction_path', districtPath))
    .where('id', '!=', exceptId)
    .where((eb) => eb.or(bigrams.map((b) => sql<boolean>`lower(name) like ${containsPattern(b)} escape '\\'`)))
    .orderBy('id', 'desc')
    .limit(max)
    .execute();
}

export function findByUscc(db: Executor, uscc: string, exceptId: number) {
  return db
    .selectFrom('organizations')
    .select(['id', 'name', 'status', 'jurisdiction_path'])
    .where('uscc', '=', uscc)
    .where('id', '!=', exceptId)
    .execute();
}

export function findByPersonIndex(db: Executor, index: string, exceptId: number) {
  return db
    .selectFrom('organizations')
    .select(['id', 'name', 'status', 'jurisdiction_path'])
    .where('pic_id_index', '=', index)
    .where('id', '!=', exceptId)
    .orderBy('id', 'desc')
    .limit(50)
    .execute();
}
