import BetterSqlite3 from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { CompiledQuery, PostgresDialect, SqliteDialect, type Dialect } from 'kysely';
import type { Engine } from './database.js';
import pg from 'pg';
import type { DatabaseConfig } from '../config.js';

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
