import BetterSqlite3 from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cp, copyFile, chmod } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Config } from '../config.js';
import { APP_VERSION } from '../version.js';

// One backup is a folder holding everything a restore needs together: the database, every folder of
// stored files (documents, photos, evidence — named by random keys the database holds, so neither is
// any use without the other), the generated secret when the data folder keeps it (without it sealed
// personal data cannot be read), and MANIFEST.json with each file's size and SHA-256, written last:
// a folder without a manifest is an unfinished backup.

const FORMAT = 'qiao-backup/1';
/** Folders of QIAO_DATA_DIR that are not data: earlier backups, uploads staged for an import. */
const NOT_DATA = new Set(['backups', 'imports']);
const SECRET_FILE = 'secret.key';

export interface BackupManifest {
  format: typeof FORMAT;
  createdAt: string;
  appVersion: string;
  engine: 'sqlite' | 'postgres';
  database: string;
  /** `secret.key` when the backup holds it; otherwise the secret comes from QIAO_SECRET and is kept apart. */
  secret: string;
  files: { path: string; bytes: number; sha256: string }[];
}

async function digest(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Every regular file under `dir`, as paths relative to it with forward slashes, sorted. */
function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(dir, rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out.sort();
}

/** The data folder's folders of stored files. */
function fileStores(dataDir: string): string[] {
  if (!existsSync(dataDir)) return [];
  return readdirSync(dataDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !NOT_DATA.has(e.name) && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}

async function dumpDatabase(config: Config, dir: string): Promise<string> {
  if (config.database.engine === 'sqlite') {
    const source = new BetterSqlite3(config.database.file, { readonly: true, fileMustExist: true });
    try {
      // SQLite's online backup API: a consistent copy while Qiao serves.
      await source.backup(path.join(dir, 'qiao.db'));
    } finally {
      source.close();
    }
    return 'qiao.db';
  }
  try {
    await promisify(execFile)('pg_dump', [
      '--format=custom',
      `--file=${path.join(dir, 'qiao.dump')}`,
      config.database.url,
    ]);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(
      missing
        ? 'pg_dump was not found on this machine; install the PostgreSQL client tools (same major version as the server) and run the backup again.'
        : `pg_dump failed: ${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}`,
      { cause: error },
    );
  }
  return 'qiao.dump';
}

/**
 * Backs up the database, the stored files and the generated secret into one new folder (default
 * QIAO_DATA_DIR/backups/qiao-<time>/), readable by its owner only. The database is copied first, so
 * every file it names was already stored when the files are copied after it.
 */
export async function backupAll(config: Config, target?: string): Promise<{ dir: string; manifest: BackupManifest }> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = path.resolve(target ?? path.join(config.dataDir, 'backups', `qiao-${stamp}`));
  const dataDir = path.resolve(config.dataDir);
  const stores = fileStores(dataDir);
  for (const store of stores)
    if ((dir + path.sep).startsWith(path.join(dataDir, store) + path.sep))
      throw new Error(`The backup cannot go inside ${path.join(dataDir, store)}, which it copies.`);
  if (existsSync(dir) && readdirSync(dir).length > 0)
    throw new Error(`${dir} is not empty; name a new folder for the backup.`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);

  const database = await dumpDatabase(config, dir);
  for (const store of stores) await cp(path.join(dataDir, store), path.join(dir, 'files', store), { recursive: true });
  const secretFile = path.join(dataDir, SECRET_FILE);
  let secret = 'QIAO_SECRET (not in this backup: keep it apart, with the same care)';
  if (existsSync(secretFile) && readFileSync(secretFile, 'utf8').trim() === config.secret) {
    await copyFile(secretFile, path.join(dir, SECRET_FILE));
    await chmod(path.join(dir, SECRET_FILE), 0o600);
    secret = SECRET_FILE;
  }

  const files: BackupManifest['files'] = [];
  for (const rel of listFiles(dir)) {
    const full = path.join(dir, rel);
    files.push({ path: rel, bytes: statSync(full).size, sha256: await digest(full) });
  }
  const manifest: BackupManifest = {
    format: FORMAT,
    createdAt: new Date().toISOString(),
    appVersion: APP_VERSION,
    engine: config.database.engine,
    database,
    secret,
    files,
  };
  writeFileSync(path.join(dir, 'MANIFEST.json'), JSON.stringify(manifest, null, 2) + '\n', { mode: 0o600 });
  return { dir, manifest };
}

/**
 * Checks a backup folder against its manifest: every file present with its size and digest, nothing
 * added. Answers the problems found (empty when the backup is whole).
 */
export async function verifyBackup(dir: string): Promise<string[]> {
  const manifestFile = path.join(dir, 'MANIFEST.json');
  if (!existsSync(manifestFile)) return [`${manifestFile} is missing: the backup is unfinished or not a Qiao backup`];
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as BackupManifest;
  } catch {
    return [`${manifestFile} is not valid JSON`];
  }
  if (manifest.format !== FORMAT || !Array.isArray(manifest.files))
    return [`${manifestFile} is not a ${FORMAT} manifest`];
  const problems: string[] = [];
  const listed = new Set<string>();
  for (const f of manifest.files) {
    listed.add(f.path);
    const full = path.join(dir, f.path);
    if (!existsSync(full)) problems.push(`missing: ${f.path}`);
    else if (statSync(full).size !== f.bytes || (await digest(full)) !== f.sha256) problems.push(`changed: ${f.path}`);
  }
  for (const rel of listFiles(dir))
    if (rel !== 'MANIFEST.json' && !listed.has(rel)) problems.push(`not in the manifest: ${rel}`);
  if (!listed.has(manifest.database)) problems.push(`the database file ${manifest.database} is not in the manifest`);
  return problems;
}
