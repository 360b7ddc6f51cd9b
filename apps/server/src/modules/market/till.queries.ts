import type { Insertable } from 'kysely';
import { prepare } from '../../db/prepared.js';
import type { CheckoutLineTable, CheckoutTable, PointsEntryTable } from '../../db/schema.js';

// The till's fixed-shape statements, compiled once (db/prepared.ts): a sale runs each of them once,
// and building them anew with Kysely was the largest share of a sale's CPU (ADR 0015).

/** The sale an Idempotency-Key already made for this user, if any. */
export const checkoutByKey = prepare<
  { actorId: number; key: string },
  { request_digest: string; receipt_no: string; points_spent: number; points_left: number }
>((k, p) =>
  k
    .selectFrom('checkouts')
    .select(['request_digest', 'receipt_no', 'points_spent', 'points_left'])
    .where('actor_id', '=', p('actorId'))
    .where('idempotency_key', '=', p('key')),
);

const CHECKOUT_COLUMNS = [
  'store_id',
  'household_id',
  'jurisdiction_path',
  'year',
  'seq',
  'receipt_no',
  'points_spent',
  'points_left',
  'actor_id',
  'actor_name',
  'idempotency_key',
  'request_digest',
  'created_at',
] as const satisfies readonly (keyof CheckoutTable)[];

export const insertCheckout = prepare<{ row: Insertable<CheckoutTable> }, { id: number }>((k, p) =>
  k.insertInto('checkouts').values(p.row('row', CHECKOUT_COLUMNS)).returning('id'),
);

const LINE_COLUMNS = [
  'checkout_id',
  'item_id',
  'quantity',
  'points',
] as const satisfies readonly (keyof CheckoutLineTable)[];

/** A sale's lines, one statement (compiled once per number of lines). */
export const insertCheckoutLines = prepare<{ rows: CheckoutLineTable[] }, never>((k, p, n) =>
  k.insertInto('checkout_lines').values(Array.from({ length: n }, (_, i) => p.row('rows', LINE_COLUMNS, i))),
);

const POINTS_COLUMNS = [
  'household_id',
  'kind',
  'points',
  'reason',
  'program_id',
  'reference',
  'actor_id',
  'actor_name',
  'created_at',
] as const satisfies readonly (keyof PointsEntryTable)[];

export const insertPointsEntry = prepare<{ row: Insertable<PointsEntryTable> }, never>((k, p) =>
  k.insertInto('points_entries').values(p.row('row', POINTS_COLUMNS)),
);
