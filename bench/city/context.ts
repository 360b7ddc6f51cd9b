import type { InsertObject, Kysely } from 'kysely';
import type { Database } from '../../apps/server/src/db/schema.js';
import type { Rng } from './names.js';

export interface CitySizes {
  districts: number;
  subdistricts: number;
  users: number;
  organizations: number;
}

export interface Place {
  id: number;
  path: string;
  code: string;
  name: string;
}

export interface GenContext {
  db: Kysely<Database>;
  rng: Rng;
  sizes: CitySizes;
  now: number;
  root: Place;
  districts: Place[];
  subdistricts: (Place & { district: number; stem: string })[];
  /** Department ids by jurisdiction id. */
  departments: Map<number, number[]>;
  loginUsernames: string[];
  /** Last filing number given per `subdistrictId:year`, written to filing_sequences after the organizations. */
  filingSequences: Map<string, number>;
  /** Names kept while organizations stream by: the search scenario's queries come from them. */
  sampledNames: string[];
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

// Under SQLite's 32,766 and PostgreSQL's 65,535 bind parameters per statement.
const MAX_PARAMS = 30_000;
const MAX_ROWS_PER_INSERT = 1_000;
const INSERTS_PER_TRANSACTION = 20;

/**
 * Inserts rows pulled from an iterator in multi-row statements, many statements per
 * transaction. Only one batch is ever in memory, so a step can stream 10^6 rows.
 */
export async function insertStream<T extends keyof Database & string>(
  db: Kysely<Database>,
  table: T,
  rows: Iterable<InsertObject<Database, T>>,
): Promise<number> {
  const it = rows[Symbol.iterator]();
  let pending = it.next();
  if (pending.done) return 0;
  const size = Math.min(MAX_ROWS_PER_INSERT, Math.floor(MAX_PARAMS / Object.keys(pending.value).length));
  let total = 0;
  while (!pending.done) {
    await db.transaction().execute(async (trx) => {
      for (let n = 0; n < INSERTS_PER_TRANSACTION && !pending.done; n++) {
        const batch: InsertObject<Database, T>[] = [];
        while (!pending.done && batch.length < size) {
          batch.push(pending.value);
          pending = it.next();
        }
        await trx.insertInto(table).values(batch).execute();
        total += batch.length;
      }
    });
  }
  return total;
}
