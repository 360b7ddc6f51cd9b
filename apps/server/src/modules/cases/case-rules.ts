import type { Kysely, Selectable } from 'kysely';
import type { CaseTable, Database } from '../../db/schema.js';

/** A case row with the names the pages show. */
export type CaseRow = Selectable<CaseTable> & {
  jurisdiction_name: string;
  jurisdiction_name_en: string | null;
  department_name: string | null;
  organization_name: string | null;
};

/** Normalizes engine differences in a selected row (PostgreSQL bigint ids come back as numbers already). */
export function caseRow<T extends CaseRow>(row: T): CaseRow {
  return row;
}

/** Which deadline a case has missed at `now`, if any: acknowledging comes first. */
export function missedDeadline(
  c: Pick<CaseRow, 'status' | 'acknowledge_due_at' | 'resolve_due_at'>,
  now: Date,
): 'acknowledge' | 'resolve' | null {
  const at = now.toISOString();
  if (c.status === 'open' && c.acknowledge_due_at < at) return 'acknowledge';
  if (c.status !== 'resolved' && c.resolve_due_at < at) return 'resolve';
  return null;
}

export function isOverdue(c: Pick<CaseRow, 'status' | 'acknowledge_due_at' | 'resolve_due_at'>, now: Date): boolean {
  return missedDeadline(c, now) !== null;
}

/** The jurisdiction one level up from the one now responsible (subdistrict → district → city). */
export async function escalationTarget(db: Kysely<Database>, jurisdictionId: number) {
  const current = await db
    .selectFrom('jurisdictions')
    .select('parent_id')
    .where('id', '=', jurisdictionId)
    .executeTakeFirst();
  if (!current?.parent_id) return undefined;
  return db
    .selectFrom('jurisdictions')
    .select(['id', 'path', 'level', 'name', 'name_en'])
    .where('id', '=', current.parent_id)
    .executeTakeFirst();
}

/** Steps a reporter who does not work the case is shown. */
const REPORTER_MILESTONES = new Set(['reported', 'acknowledged', 'escalated', 'resolved', 'reopened']);

export function sharedWithReporter(e: { kind: string; actor_id: number | null; details: string }, viewerId: number) {
  if (REPORTER_MILESTONES.has(e.kind)) return true;
  if (e.kind !== 'commented') return false;
  return e.actor_id === viewerId || (JSON.parse(e.details) as { toReporter?: boolean }).toReporter === true;
}
