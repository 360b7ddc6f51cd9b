import { isValidUscc, normalizeUscc, type ListOrganizationsQuery } from '@qiao/contracts';
import type { Db } from '../../db/database.js';
import type { OrganizationRow } from '../../db/schema.js';
import { inScope, type RequestContext } from '../../platform/scope.js';
import { presentOrganization } from './organization-record.js';
import * as q from './organizations.queries.js';

/** The keyset position of a row in a list sorted by `sort`. */
function cursorOf(r: OrganizationRow, sort: ListOrganizationsQuery['sort']): string {
  const key = sort === 'name' ? r.name : sort === 'foundedOn' ? (r.founded_on ?? '') : r.updated_at;
  return q.encodeCursor([key, r.id]);
}

/** Lists of the registry: one page for the API, or every page in order for exports. */
export function createOrganizationLists(db: Db) {
  const kysely = db.kysely;

  /**
   * The subtree and exact matches a list filter means for this caller; null when it names a
   * jurisdiction outside the caller's scope (an empty answer, like an empty subtree).
   */
  async function resolveFilter(ctx: RequestContext, query: Pick<ListOrganizationsQuery, 'q' | 'jurisdictionId'>) {
    let scope = ctx.actor.scopePath;
    if (query.jurisdictionId) {
      const j = await kysely
        .selectFrom('jurisdictions')
        .select('path')
        .where('id', '=', query.jurisdictionId)
        .executeTakeFirst();
      if (!j || !inScope(ctx.actor, j.path)) return null;
      scope = j.path;
    }
    const exact: { uscc?: string; filingNumber?: string } = {};
    if (query.q) {
      const asUscc = normalizeUscc(query.q);
      if (isValidUscc(asUscc)) exact.uscc = asUscc;
      else if (/^\d{9}-\d{4}-\d{1,6}$/.test(query.q.trim())) exact.filingNumber = query.q.trim();
    }
    const onlyId = ctx.actor.role === 'ngo_officer' ? (ctx.actor.organizationId ?? 0) : undefined;
    return { scope, exact, onlyId };
  }

  /** One page (limit + 1 rows, so the caller knows whether another follows). */
  async function page(ctx: RequestContext, query: ListOrganizationsQuery) {
    const filter = await resolveFilter(ctx, query);
    if (!filter) return { rows: [], more: false };
    const rows = await q.listOrganizationsUnder(kysely, db.engine, filter.scope, {
      ...query,
      exact: filter.exact,
      onlyId: filter.onlyId,
    });
    return { rows: rows.slice(0, query.limit), more: rows.length > query.limit };
  }

  return {
    async listOrganizations(ctx: RequestContext, query: ListOrganizationsQuery) {
      const { rows, more } = await page(ctx, query);
      const last = rows[rows.length - 1];
      return { items: rows.map(presentOrganization), nextCursor: more && last ? cursorOf(last, query.sort) : null };
    },

    /**
     * Every organization listOrganizations would answer for `query`, as stored rows, page after
     * page in the list's order: exports stream them without holding the list.
     */
    async *iterateOrganizationRows(
      ctx: RequestContext,
      query: Omit<ListOrganizationsQuery, 'limit' | 'cursor'>,
      pageSize = 500,
    ): AsyncGenerator<OrganizationRow[]> {
      let cursor: string | undefined;
      for (;;) {
        const { rows, more } = await page(ctx, { ...query, limit: pageSize, cursor });
        if (rows.length) yield rows;
        const last = rows[rows.length - 1];
        if (!more || !last) return;
        cursor = cursorOf(last, query.sort);
      }
    },
  };
}
