import type { Executor } from '../../db/database.js';

/** Counts one more failed sign-in and answers the new count (atomic under concurrent attempts). */
export async function bumpFailedLogins(db: Executor, userId: number): Promise<number> {
  const row = await db
    .updateTable('users')
    .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
    .where('id', '=', userId)
    .returning('failed_logins')
    .executeTakeFirstOrThrow();
  return row.failed_logins;
}

export function findUnusedRecoveryCode(db: Executor, userId: number, codeHash: string) {
  return db
    .selectFrom('recovery_codes')
    .select('id')
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
}

export async function replaceRecoveryCodes(db: Executor, userId: number, hashes: string[]) {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  if (!hashes.length) return;
  await db
    .insertInto('recovery_codes')
    .values(hashes.map((code_hash) => ({ user_id: userId, code_hash })))
    .execute();
}

export function findRootPath(db: Executor) {
  return db.selectFrom('jurisdictions').select(['id', 'path']).where('parent_id', 'is', null).executeTakeFirst();
}
