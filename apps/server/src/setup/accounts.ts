import { randomInt } from 'node:crypto';
import type { Role } from '@qiao/contracts';
import { insertUser } from '../modules/users/users.queries.js';
import { nowIso, type Db } from '../db/database.js';
import { recordAudit, type AuditContext } from '../platform/audit/audit-log.js';
import { checkPasswordPolicy, hashPassword } from '../platform/auth/passwords.js';
import { invalidFields } from '../platform/errors.js';

/** A strong password a person can type: 4 groups of 4 from an alphabet without look-alikes, plus class markers. */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const group = () => Array.from({ length: 4 }, () => alphabet[randomInt(alphabet.length)]).join('');
  return `${group()}-${group()}-${group()}-${group()}-Q7a`;
}

export interface AccountSpec {
  username: string;
  password: string;
  displayName: string;
  role: Role;
  jurisdiction: { id: number; path: string };
  departmentId?: number | null;
}

/**
 * Creates an account outside any request (first run, demo, `qiao user create`), under the same
 * password policy and with its audit event. The caller checks placement rules it needs.
 */
export async function createAccount(db: Db, ctx: AuditContext, spec: AccountSpec): Promise<number> {
  const policy = checkPasswordPolicy(spec.password, spec.username);
  if (policy.length) throw invalidFields(policy);
  const passwordHash = await hashPassword(spec.password);
  return db.kysely.transaction().execute(async (trx) => {
    const id = await insertUser(
      trx,
      {
        username: spec.username,
        displayName: spec.displayName,
        passwordHash,
        role: spec.role,
        jurisdictionId: spec.jurisdiction.id,
        departmentId: spec.departmentId ?? null,
      },
      nowIso(),
    );
    await recordAudit(trx, ctx, {
      action: 'user.create',
      entityType: 'user',
      entityId: id,
      jurisdiction: spec.jurisdiction,
      changes: [
        { field: 'username', before: null, after: spec.username },
        { field: 'role', before: null, after: spec.role },
        { field: 'jurisdictionId', before: null, after: spec.jurisdiction.id },
      ],
    });
    return id;
  });
}
