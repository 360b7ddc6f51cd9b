import BetterSqlite3 from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  CompiledQuery,
  PostgresDialect,
  SqliteDialect,
  sql,
  type Dialect,
  type Kysely,
  type Transaction,
} from 'kysely';
import type { Engine } from './database.js';
import pg from 'pg';
import type { DatabaseConfig } from '../config.js';
import type { Database } from './schema.js';

/**
 * The only place that knows which engine runs. Everything above speaks Kysely; anything
 * engine-specific (search indexes later) asks `engine` from the Db handle, never the driver.
 */
export function createDialect(config: DatabaseConfig): Dialect {
  if (config.engine === 'sqlite') {
    if (config.file !== ':memory:') mkdirSync(path.dirname(config.file), { recursive: true });
    const sqlite = new BetterSqlite3(config.file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
    return new SqliteDialect({ database: withStatementCache(sqlite) });
  }
  const pool = new pg.Pool({
    connectionString: config.url,
    max: 10,
    types: {
      getTypeParser: (oid: number, format?: 'text' | 'binary') => {
        // int8 (counts, bigint ids) as numbers: our ids and counts stay far below 2^53.
        if (oid === 20) return (value: string) => Number(value);
        return pg.types.getTypeParser(oid, format);
      },
    } as pg.CustomTypesConfig,
  });
  // An idle client that loses its connection (server restart, failover) errors on the pool; without
  // a listener that error would end the process. The pool replaces the client on next use.
  pool.on('error', (err) => console.error(`PostgreSQL connection lost: ${err.message}`));
  return new PostgresDialect({ pool });
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew; preparing is a measurable share of a cheap request. The driver
 * runs one statement at a time on its single connection, so reusing prepared statements is safe.
 * Least recently used statements are dropped past the bound (dynamic IN lists vary the SQL).
 */
function withStatementCache(sqlite: BetterSqlite3.Database) {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql);
      } else {
        statement = sqlite.prepare(sql);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}

/** True for a unique-constraint violation on either engine (a race the pre-checks did not see). */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string } | null;
  return e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e?.code === '23505';
}

/** True for a CHECK violation on either engine: a balance the ledger would take below zero. */
export function isCheckViolation(error: unknown): boolean {
  const e = error as { code?: string } | null;
  return e?.code === 'SQLITE_CONSTRAINT_CHECK' || e?.code === '23514';
}

/** The name of the CHECK constraint an error violated, on either engine (null for any other error). */
export function violatedCheck(error: unknown): string | null {
  if (!isCheckViolation(error)) return null;
  const e = error as { constraint?: string; message?: string };
  return e.constraint ?? /CHECK constraint failed: (\w+)/.exec(e.message ?? '')?.[1] ?? '';
}

/**
 * `SELECT … FOR NO KEY UPDATE` on PostgreSQL: a row lock that queues other lockers of the row but,
 * unlike FOR UPDATE, not the foreign-key checks of rows that reference it (`FOR KEY SHARE`) — so a
 * transaction holding it never deadlocks with one inserting a child row. SQLite has no row locks and
 * needs none: one connection runs one transaction at a time.
 */
export function forNoKeyUpdate<Q extends { forNoKeyUpdate(): Q }>(engine: 'sqlite' | 'postgres', query: Q): Q {
  return engine === 'postgres' ? query.forNoKeyUpdate() : query;
}

/** True where concurrent transactions need row locks to queue (PostgreSQL); SQLite runs one writer at a time. */
export function needsRowLocks(engine: 'sqlite' | 'postgres'): boolean {
  return engine === 'postgres';
}

/**
 * True where a hot write path should commit in groups (db/group-commit.ts): SQLite, whose one
 * writer pays per COMMIT for every page written. PostgreSQL commits concurrently from its pool and
 * groups WAL flushes itself; there each unit keeps its own transaction.
 */
export function commitsInGroups(engine: 'sqlite' | 'postgres'): boolean {
  return engine === 'sqlite';
}

/**
 * After a bulk write inside a transaction, before statements that join what was written:
 * PostgreSQL plans from statistics, and a table last analyzed empty (the risk scan's scratch rows,
 * a first scan's signals) is planned as empty — a nested loop over a sequential scan, minutes at
 * 10^5 rows. ANALYZE inside the transaction counts its own rows. SQLite's planner needs nothing.
 */
export async function refreshStatistics(
  executor: Kysely<Database> | Transaction<Database>,
  engine: 'sqlite' | 'postgres',
  tables: readonly (keyof Database & string)[],
): Promise<void> {
  if (engine !== 'postgres') return;
  await sql`analyze ${sql.join(tables.map((t) => sql.table(t)))}`.execute(executor);
}

const bulkInsertTexts = new Map<string, string>();

/**
 * A multi-row insert compiled once per (engine, table, columns, row count) and reused, with its
 * values as one flat parameter list. Kysely builds a node per value and compiles the statement anew
 * every time: for 500 rows × 38 columns that was a good share of a bulk import's CPU and most of its
 * garbage. Names come from code, never from input.
 */
export function bulkInsert<R extends Record<string, unknown>>(
  engine: Engine,
  table: string,
  columns: readonly (keyof R & string)[],
  rows: readonly R[],
  returning: readonly string[] = [],
): CompiledQuery {
  const key = `${engine}|${table}|${columns.join(',')}|${rows.length}|${returning.join(',')}`;
  let text = bulkInsertTexts.get(key);
  if (!text) {
    let k = 0;
    const tuple = () => `(${columns.map(() => (engine === 'sqlite' ? '?' : `$${++k}`)).join(', ')})`;
    text =
      `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${rows.map(tuple).join(', ')}` +
      (returning.length ? ` returning ${returning.map((c) => `"${c}"`).join(', ')}` : '');
    bulkInsertTexts.set(key, text);
  }
  const parameters: unknown[] = [];
  for (const row of rows) for (const c of columns) parameters.push(row[c] ?? null);
  return CompiledQuery.raw(text, parameters);
}

/**
 * `%text%` for `like … escape '\'` (the same on both engines): the text's own `%`, `_` and `\` match
 * only themselves, so a search for `a_b` does not also find `axb`.
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
