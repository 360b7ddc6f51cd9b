import type { Executor } from '../../db/database.js';
import { listJurisdictionsUnder } from '../jurisdictions/jurisdictions.queries.js';

export interface Place {
  id: number;
  path: string;
  level: string;
  code: string;
  name: string;
}

/** Every jurisdiction by code and by id, and the city: what imports and exports place rows by. */
export async function loadPlaces(db: Executor) {
  const all = await listJurisdictionsUnder(db, '/');
  const byCode = new Map<string, Place>();
  const byId = new Map<number, Place>();
  let root: Place | undefined;
  for (const j of all) {
    const p: Place = { id: j.id, path: j.path, level: j.level, code: j.code, name: j.name };
    byCode.set(p.code, p);
    byId.set(p.id, p);
    if (p.level === 'city') root = p;
  }
  if (!root) throw new Error('the city jurisdiction is missing');
  return { byCode, byId, root };
}

export type Places = Awaited<ReturnType<typeof loadPlaces>>;
