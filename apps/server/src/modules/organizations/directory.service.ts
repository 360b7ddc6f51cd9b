import { containsPattern } from '../../db/dialect.js';
import { sql } from 'kysely';
import type { z } from 'zod';
import type { OrganizationKind, OrganizationStatus, publicOrganization } from '@qiao/contracts';
import type { Deps } from '../../platform/deps.js';
import { notFound } from '../../platform/errors.js';
import * as q from './organizations.queries.js';

type PublicOrganization = z.infer<typeof publicOrganization>;
const PUBLIC_STATUSES = new Set(['active', 'dormant', 'suspended', 'deregistered']);

/**
 * The public directory: active organizations as anyone may see them — names, codes, fields, where
 * and since when — and never a person's data.
 */
export function createDirectoryService(
  { db }: Deps,
  abnormalListings: (organizationId: number) => Promise<PublicOrganization['abnormalListings']> = async () => [],
) {
  const kysely = db.kysely;

  function base() {
    return kysely
      .selectFrom('organizations as o')
      .innerJoin('jurisdictions as j', 'j.id', 'o.jurisdiction_id')
      .select([
        'o.id',
        'o.kind',
        'o.name',
        'o.name_en',
        'o.uscc',
        'o.filing_number',
        'o.fields',
        'o.founded_on',
        'o.status',
        'j.name as jurisdiction',
        'j.name_en as jurisdiction_en',
      ])
      .where('o.status', '=', 'active');
  }
  type Row = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>;

  function present(
    r: Row,
    history: PublicOrganization['statusHistory'] = [],
    listings: PublicOrganization['abnormalListings'] = [],
  ): PublicOrganization {
    return {
      id: r.id,
      kind: r.kind as OrganizationKind,
      name: r.name,
      nameEn: r.name_en,
      uscc: r.uscc,
      filingNumber: r.filing_number,
      jurisdiction: r.jurisdiction,
      jurisdictionEn: r.jurisdiction_en,
      fields: JSON.parse(r.fields) as string[],
      foundedOn: r.founded_on,
      status: r.status as OrganizationStatus,
      statusHistory: history,
      abnormalListings: listings,
    };
  }

  return {
    async listPublicOrganizations(query: { q?: string; limit: number; cursor?: string }) {
      let b = base();
      if (query.q) b = b.where(sql<boolean>`o.name like ${containsPattern(query.q)} escape '\\'`);
      const cursor = q.decodeCursor(query.cursor);
      if (cursor) b = b.where(sql<boolean>`(o.name > ${cursor[0]} or (o.name = ${cursor[0]} and o.id > ${cursor[1]}))`);
      const rows = await b
        .orderBy('o.name')
        .orderBy('o.id')
        .limit(query.limit + 1)
        .execute();
      const page = rows.slice(0, query.limit);
      const last = page[page.length - 1];
      return {
        items: page.map((r) => present(r)),
        nextCursor: rows.length > query.limit && last ? q.encodeCursor([last.name, last.id]) : null,
      };
    },

    async getPublicOrganization(id: number): Promise<PublicOrganization> {
      const row = await base().where('o.id', '=', id).executeTakeFirst();
      if (!row) throw notFound('organization');
      const versions = await kysely
        .selectFrom('organization_versions')
        .select(['changed_at', 'changes'])
        .where('organization_id', '=', id)
        .where('action', '=', 'organization.status')
        .orderBy('version')
        .execute();
      const history = versions.flatMap((v) => {
        const changes = JSON.parse(v.changes) as { field: string; after: unknown }[];
        // The date the move took effect when one was given (a deregistration dated back), else when recorded.
        const effective = changes.find((c) => c.field === 'effectiveOn')?.after;
        const on = typeof effective === 'string' ? effective : v.changed_at.slice(0, 10);
        return changes
          .filter((c) => c.field === 'status' && PUBLIC_STATUSES.has(String(c.after)))
          .map((c) => ({ status: String(c.after), on }));
      });
      return present(row, history, await abnormalListings(id));
    },
  };
}

export type DirectoryService = ReturnType<typeof createDirectoryService>;
