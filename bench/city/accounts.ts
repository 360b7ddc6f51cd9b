import type { InsertObject } from 'kysely';
import { usernameKey, type Role } from '@qiao/contracts';
import type { Database } from '../../apps/server/src/db/schema.js';
import { iso, type GenContext } from './context.js';
import { personName, type Rng } from './names.js';

const LOGIN_ACCOUNTS = 100;

const roleMix: readonly [Role, number][] = [
  ['volunteer', 50],
  ['ngo_officer', 22],
  ['center_staff', 12],
  ['department_officer', 8],
  ['district_officer', 3],
  ['evaluator', 3],
  ['auditor', 1.5],
  ['city_admin', 0.5],
];
const roleWeight = roleMix.reduce((sum, [, w]) => sum + w, 0);

function pickRole(rng: Rng): Role {
  let x = rng.next() * roleWeight;
  for (const [role, w] of roleMix) if ((x -= w) < 0) return role;
  return 'volunteer';
}

/** Where an account of `role` sits, following the role's allowed levels (roleLevels). */
function placeAccount(ctx: GenContext, role: Role): { jurisdiction: number; department: number | null } {
  const { rng } = ctx;
  const sub = () => rng.pick(ctx.subdistricts).id;
  const district = () => rng.pick(ctx.districts).id;
  switch (role) {
    case 'city_admin':
      return { jurisdiction: ctx.root.id, department: null };
    case 'district_officer':
      return { jurisdiction: district(), department: null };
    case 'department_officer': {
      const jurisdiction = rng.next() < 0.8 ? sub() : district();
      return { jurisdiction, department: rng.pick(ctx.departments.get(jurisdiction)!) };
    }
    case 'evaluator':
    case 'auditor': {
      const x = rng.next();
      return { jurisdiction: x < 0.2 ? ctx.root.id : x < 0.6 ? district() : sub(), department: null };
    }
    default:
      return { jurisdiction: sub(), department: null };
  }
}

export function username(role: Role, index: number): string {
  return `${role.split('_')[0]}.${String(index + 1).padStart(6, '0')}`;
}

/** The first account of each district is its district officer, so every district has one to sign in as. */
export function* userRows(ctx: GenContext, passwordHash: string): Generator<InsertObject<Database, 'users'>> {
  const span = 2 * 365 * 24 * 3600 * 1000;
  for (let i = 0; i < ctx.sizes.users; i++) {
    const role: Role = i < ctx.districts.length ? 'district_officer' : pickRole(ctx.rng);
    const place =
      i < ctx.districts.length ? { jurisdiction: ctx.districts[i]!.id, department: null } : placeAccount(ctx, role);
    const name = username(role, i);
    if (ctx.loginUsernames.length < LOGIN_ACCOUNTS) ctx.loginUsernames.push(name);
    const created = iso(ctx.now - span + Math.floor((span * i) / ctx.sizes.users));
    yield {
      username: name,
      username_key: usernameKey(name),
      display_name: personName(ctx.rng),
      password_hash: passwordHash,
      role,
      jurisdiction_id: place.jurisdiction,
      department_id: place.department,
      status: 'active',
      failed_logins: 0,
      totp_enabled: 0,
      elderly_mode: ctx.rng.next() < 0.05 ? 1 : 0,
      locale: ctx.rng.next() < 0.1 ? 'en' : 'zh-CN',
      password_changed_at: created,
      created_at: created,
      updated_at: created,
    };
  }
}
