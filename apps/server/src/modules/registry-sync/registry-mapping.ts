import { MAX_REJECTED_LISTED, usccRegion } from '@qiao/contracts';
import type { Updateable } from 'kysely';
import type { OrganizationRow, OrganizationTable } from '../../db/schema.js';
import { inScope, type RequestContext } from '../../platform/scope.js';
import type { Place, Places } from './places.js';
import type { RegistryRow, RowError } from './registry-row.js';

// How a bureau row maps onto the registry: shared by the import and the reconciliation.

export /** Rows per statement (a multi-row insert): 500 × 38 columns stays under SQLite's 32,766 bound parameters. */
const BATCH = 500;

export /**
 * Rows per import transaction. A commit writes every page the chunk dirtied (the name indexes and
 * postings are written all over), so bigger chunks amortize it: 500 rows a transaction ran at about
 * half the raw speed of 2,500–10,000. Bigger chunks also keep more rows alive at once, and on SQLite
 * every other request waits for the chunk's transaction. ADR 0009.
 */
const CHUNK = 2_000;

export /**
 * The import writes new names' bigram postings set-based (ADR 0014): after every POSTINGS_EVERY
 * rows and at the end, in transactions of POSTINGS_BATCH organizations. Until then search tests the
 * pending names directly, which stays cheap while they are a few tens of thousands.
 */
const POSTINGS_EVERY = 100_000;

export /** Organizations whose postings one transaction writes: about a second of SQLite's one writer. */
const POSTINGS_BATCH = 25_000;

export /** The registry fields a bureau row sets, compared and written as columns. */
const syncedColumns = [
  'kind',
  'name',
  'status',
  'registered_on',
  'registration_authority',
  'address',
  'pic_name',
  'jurisdiction_id',
] as const;

export const fieldName: Record<(typeof syncedColumns)[number], string> = {
  kind: 'kind',
  name: 'name',
  status: 'status',
  registered_on: 'registered_on',
  registration_authority: 'authority',
  address: 'address',
  pic_name: 'legal_representative',
  jurisdiction_id: 'jurisdiction_code',
};

/** Rejected rows, the first MAX_REJECTED_LISTED listed, all counted. */
export class Rejections {
  list: { line: number; errors: RowError[] }[] = [];
  count = 0;
  add(line: number, errors: RowError[]) {
    this.count += 1;
    if (this.list.length < MAX_REJECTED_LISTED) this.list.push({ line, errors });
  }
  sorted() {
    return [...this.list].sort((a, b) => a.line - b.line);
  }
}

/**
 * Where a row goes: its jurisdiction_code; else, for a new organization, the district whose code
 * is the USCC's region, or the city when none is; an existing one stays where it is.
 */
export function placeRow(
  ctx: RequestContext,
  places: Places,
  row: RegistryRow,
  before: OrganizationRow | undefined,
): { target: Place | null } | { errors: RowError[] } {
  if (before && !inScope(ctx.actor, before.jurisdiction_path))
    return { errors: [{ field: 'uscc', code: 'out_of_scope' }] };
  let target: Place | null = null;
  if (row.jurisdictionCode) {
    target = places.byCode.get(row.jurisdictionCode) ?? null;
    if (!target) return { errors: [{ field: 'jurisdiction_code', code: 'not_found' }] };
  } else if (!before) {
    const region = places.byCode.get(usccRegion(row.uscc));
    target = region?.level === 'district' ? region : places.root;
  }
  if (target && !inScope(ctx.actor, target.path))
    return { errors: [{ field: 'jurisdiction_code', code: 'out_of_scope' }] };
  return { target };
}

/** The columns a row sets; fields the file leaves empty keep what Qiao has. */
export function rowColumns(row: RegistryRow, target: Place | null): Updateable<OrganizationTable> {
  const c: Updateable<OrganizationTable> = { kind: row.kind, name: row.name, status: row.status };
  if (row.registeredOn) c.registered_on = row.registeredOn;
  if (row.authority) c.registration_authority = row.authority;
  if (row.address) c.address = row.address;
  if (row.legalRepresentative) c.pic_name = row.legalRepresentative;
  if (target) {
    c.jurisdiction_id = target.id;
    c.jurisdiction_path = target.path;
  }
  return c;
}

export function changedColumns(before: OrganizationRow, cols: Updateable<OrganizationTable>) {
  return syncedColumns.filter((k) => cols[k] !== undefined && cols[k] !== before[k]);
}
