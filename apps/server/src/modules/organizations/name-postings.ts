import { sql } from 'kysely';
import type { Engine, Executor } from '../../db/database.js';

// The bigram postings of names (ADR 0008) written set-based by bulk writers (ADR 0014, migration 0014).

/**
 * From here to `resumeNamePostings` in the same transaction, the bigram triggers list created or
 * renamed organizations in `organization_name_pending` instead of writing their postings one row at
 * a time (about eleven B-tree inserts per name, all over an 8-million-row index). Both calls belong
 * in one transaction: the row is never committed, so no other writer ever defers.
 */
export async function deferNamePostings(trx: Executor): Promise<void> {
  await trx.insertInto('organization_name_deferral').values({ deferred: 1 }).execute();
}

export async function resumeNamePostings(trx: Executor): Promise<void> {
  await trx.deleteFrom('organization_name_deferral').execute();
}

/**
 * Writes the postings of up to `batch` pending organizations (lowest ids first) in one sorted
 * statement and takes them off the pending list, in one transaction; returns how many it took.
 * A sorted insert walks the posting index once instead of landing all over it per row.
 */
export async function writePendingNamePostings(trx: Executor, engine: Engine, batch: number): Promise<number> {
  const ids = await trx
    .selectFrom('organization_name_pending')
    .select('organization_id')
    .orderBy('organization_id')
    .limit(batch)
    .execute();
  if (!ids.length) return 0;
  const list = ids.map((r) => r.organization_id);
  if (engine === 'sqlite') {
    // One connection writes (ADR 0006): nothing renames these organizations while this runs.
    const json = JSON.stringify(list);
    await sql`insert or ignore into organization_name_bigrams (bigram, jurisdiction_path, organization_id)
      select substr(lower(o.name), p.n, 2), o.jurisdiction_path, o.id
      from organizations as o
      join name_bigram_positions as p on p.n < length(o.name)
      where o.id in (select value from json_each(${json}))
      order by 1, 2, 3`.execute(trx);
    await sql`delete from organization_name_pending where organization_id in (select value from json_each(${json}))`.execute(
      trx,
    );
  } else {
    // A rename committing meanwhile would delete the old name's postings before these are visible
    // and leave them stale: the rows are locked first, so a rename waits for this commit, then
    // deletes what this wrote; one that committed before is what this reads.
    await sql`select id from organizations where id = any(${list}::bigint[]) order by id for share`.execute(trx);
    await sql`insert into organization_name_bigrams (bigram, jurisdiction_path, organization_id)
      select distinct substr(lower(o.name), n, 2), o.jurisdiction_path, o.id
      from organizations as o
      cross join generate_series(1, char_length(o.name) - 1) as n
      where o.id = any(${list}::bigint[])
      order by 1, 2, 3
      on conflict do nothing`.execute(trx);
    await sql`delete from organization_name_pending where organization_id = any(${list}::bigint[])`.execute(trx);
  }
  return ids.length;
}

/** Whether any organization waits for its postings: search then also tests those names directly. */
export async function hasPendingNamePostings(db: Executor): Promise<boolean> {
  return (await db.selectFrom('organization_name_pending').select('organization_id').limit(1).execute()).length > 0;
}
