import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { chainHash, rowToContent } from './canonical.js';

export interface ChainReport {
  ok: boolean;
  checked: number;
  /** The id of the first event whose link does not hold (edited, deleted before it, or reordered). */
  brokenAt?: number;
}

const GENESIS = '0'.repeat(64);
const BATCH = 2000;

/** Re-hashes the whole chain from its first event, in batches so memory stays flat. */
export async function verifyAuditChain(db: Kysely<Database>): Promise<ChainReport> {
  let prevHash = GENESIS;
  let expectedId = 1;
  let checked = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('id', '>=', expectedId)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    for (const r of rows) {
      const content = rowToContent(r);
      if (r.id !== expectedId || r.prev_hash !== prevHash || chainHash(prevHash, content) !== r.hash) {
        return { ok: false, checked, brokenAt: r.id !== expectedId ? expectedId : r.id };
      }
      prevHash = r.hash;
      expectedId += 1;
      checked += 1;
    }
    if (rows.length < BATCH) break;
  }
  const head = await db.selectFrom('audit_chain_head').selectAll().where('id', '=', 1).executeTakeFirst();
  // Events cut off the end of the chain leave the head pointing past the last one left.
  if (!head || head.last_id !== checked || head.last_hash !== prevHash) {
    return { ok: false, checked, brokenAt: checked + 1 };
  }
  return { ok: true, checked };
}
