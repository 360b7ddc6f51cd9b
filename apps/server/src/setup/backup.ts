import BetterSqlite3 from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';

/**
 * SQLite: copies the live database with SQLite's online backup API (safe while Qiao serves).
 * PostgreSQL: answers the pg_dump command, since the dump belongs to the database's own tools.
 */
export async function backupDatabase(config: Config, file?: string): Promise<string> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  if (config.database.engine === 'postgres') {
    const target = file ?? `qiao-${stamp}.dump`;
    return `Run: pg_dump --format=custom --file=${target} "${config.database.url}"`;
  }
  const target = path.resolve(file ?? path.join(config.dataDir, 'backups', `qiao-${stamp}.db`));
  mkdirSync(path.dirname(target), { recursive: true });
  const source = new BetterSqlite3(config.database.file, { readonly: true, fileMustExist: true });
  try {
    await source.backup(target);
  } finally {
    source.close();
  }
  return `Backed up ${config.database.file} to ${target}`;
}
