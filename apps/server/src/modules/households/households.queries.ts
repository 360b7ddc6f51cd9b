import { containsPattern } from '../../db/dialect.js';
import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import { prepare } from '../../db/prepared.js';
import type { HouseholdTable } from '../../db/schema.js';
import { inSubtree } from '../../platform/scope.js';

/**
 * A household by id; with `lockRow` (PostgreSQL only: callers ask needsRowLocks) its row is locked
 * FOR NO KEY UPDATE in the same statement. Compiled once (db/prepared.ts): the till reads it every sale.
 */
export function findHousehold(db: Executor, id: number, lockRow = false) {
  return householdById.first(db, { id }, lockRow ? 1 : 0);
}

const householdById = prepare<{ id: number }, Selectable<HouseholdTable>>((k, p, locked) => {
  const q = k.selectFrom('households').selectAll().where('id', '=', p('id'));
  return locked ? q.forNoKeyUpdate() : q;
});

export function findHouseholdIdByIndex(db: Executor, idIndex: string) {
  return db.selectFrom('households').select(['id']).where('id_index', '=', idIndex).executeTakeFirst();
}

export function findHouseholdByCard(db: Executor, cardNumber: string) {
  return db.selectFrom('households').selectAll().where('card_number', '=', cardNumber).executeTakeFirst();
}

export function listMembers(db: Executor, householdIds: number[]) {
  if (!householdIds.length) return Promise.resolve([]);
  return db
    .selectFrom('household_members')
    .selectAll()
    .where('household_id', 'in', householdIds)
    .orderBy('id')
    .execute();
}

/** Names are Chinese: a plain LIKE with an explicit escape means the same on both engines. */
const nameContains = (name: string) => sql<boolean>`head_name like ${containsPattern(name)} escape '\\'`;

export interface HouseholdFilter {
  scope: string;
  category?: string;
  exact?: { idIndex?: string; phoneIndex?: string; cardNumber?: string };
  name?: string;
  afterId?: number;
  limit: number;
}

/** Newest first, keyset by id; limit + 1 rows so the caller knows whether another page follows. */
export function listHouseholdsUnder(db: Executor, f: HouseholdFilter) {
  let query = db
    .selectFrom('households')
    .selectAll()
    .where(inSubtree('jurisdiction_path', f.scope))
    .orderBy('id', 'desc')
    .limit(f.limit + 1);
  if (f.category) query = query.where('category', '=', f.category);
  if (f.afterId) query = query.where('id', '<', f.afterId);
  const exact = f.exact;
  if (exact?.idIndex || exact?.phoneIndex || exact?.cardNumber) {
    query = query.where((eb) =>
      eb.or([
        ...(exact.idIndex ? [eb('id_index', '=', exact.idIndex)] : []),
        ...(exact.phoneIndex ? [eb('phone_index', '=', exact.phoneIndex)] : []),
        ...(exact.cardNumber ? [eb('card_number', '=', exact.cardNumber)] : []),
        ...(f.name ? [nameContains(f.name)] : []),
      ]),
    );
  } else if (f.name) {
    query = query.where(nameContains(f.name));
  }
  return query.execute();
}

/** Verified households whose verification ends on or before `until`, soonest first. */
export function listDueUnder(
  db: Executor,
  scope: string,
  until: string,
  after: [string, number] | null,
  limit: number,
) {
  let query = db
    .selectFrom('households')
    .selectAll()
    .where(inSubtree('jurisdiction_path', scope))
    .where('valid_until', 'is not', null)
    .where('valid_until', '<=', until)
    .orderBy('valid_until')
    .orderBy('id')
    .limit(limit + 1);
  if (after) {
    const [date, id] = after;
    query = query.where((eb) =>
      eb.or([eb('valid_until', '>', date), eb.and([eb('valid_until', '=', date), eb('id', '>', id)])]),
    );
  }
  return query.execute();
}

export function getSettings(db: Executor) {
  return db.selectFrom('household_settings').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
}
