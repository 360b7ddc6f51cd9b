import type { Insertable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { DocumentTable } from '../../db/schema.js';

export function listDocuments(db: Executor, organizationId: number) {
  return db
    .selectFrom('documents')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('id', 'desc')
    .limit(500)
    .execute();
}

export function findDocument(db: Executor, organizationId: number, id: number) {
  return db
    .selectFrom('documents')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function insertDocument(db: Executor, values: Insertable<DocumentTable>): Promise<number> {
  const { id } = await db.insertInto('documents').values(values).returning('id').executeTakeFirstOrThrow();
  return id;
}
