import { Kysely, Migrator, type Transaction } from 'kysely';
import type { DatabaseConfig } from '../config.js';
import { createDialect } from './dialect.js';
import { migrations } from './migrations/index.js';
import type { Database } from './schema.js';

export type Engine = 'sqlite' | 'postgres';
export type Executor = Kysely<Database> | Transaction<Database>;

/** The database handle every module receives: Kysely plus the engine name. */
export interface Db {
  kysely: Kysely<Database>;
  engine: Engine;
  close(): Promise<void>;
}

export function openDatabase(config: DatabaseConfig): Db {
  const kysely = new Kysely<Database>({ dialect: createDialect(config) });
  return { kysely, engine: config.engine, close: () => kysely.destroy() };
}

/** Runs every pending migration; throws with the failing migration's name. */
export async function migrate(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db: db.kysely, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${String((error as Error).message ?? error)}`, {
      cause: error,
    });
  }
  return (results ?? []).map((r) => r.migrationName);
}

/** Current instant as stored: UTC ISO-8601 with milliseconds. */
export function nowIso(): string {
  return new Date().toISOString();
}
