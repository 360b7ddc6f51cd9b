import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { chainHash } from './canonical.js';

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
      const content = {
        id: r.id,
        occurredAt: r.occurred_at,
        actorId: r.actor_id,
        actorName: r.actor_name,
        actorRole: r.actor_role,
        jurisdictionId: r.jurisdiction_id,
        scopePath: r.scope_path,
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
        changes: parseJson(r.changes),
        details: r.details === null ? null : parseJson(r.details),
        requestId: r.request_id,
        ip: r.ip,
        outcome: r.outcome,
      };
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

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { unparseable: text };
  }
}
