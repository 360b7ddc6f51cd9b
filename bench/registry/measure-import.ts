/**
 * Times importRegistry on a fresh database: a first import (every row created), then the same
 * file again (every row unchanged).
 *
 *   npx tsx bench/registry/measure-import.ts --rows 100000                 # SQLite file in bench/.data
 *   QIAO_BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/registry/measure-import.ts --rows 100000
 */
import { createReadStream, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { buildApp } from '../../apps/server/src/app.js';
import { loadConfig } from '../../apps/server/src/config.js';
import { migrate, openDatabase } from '../../apps/server/src/db/database.js';
import { Keyring } from '../../apps/server/src/platform/crypto.js';
import { firstRun } from '../../apps/server/src/setup/first-run.js';
import { writeRegistryFile } from './generate-registry-file.js';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '100000' }, format: { type: 'string', default: 'csv' } },
});
const rows = Number(values.rows);
const format = values.format as 'csv' | 'jsonl';
const root = path.join(import.meta.dirname, '..', '.data');
mkdirSync(root, { recursive: true });
const dir = mkdtempSync(path.join(root, 'registry-'));
const pgUrl = process.env.QIAO_BENCH_PG_URL;
const dbName = `qiao_bench_import_${process.pid}`;

interface ImportAnswer {
  created: number;
  updated: number;
  unchanged: number;
  rejectedCount: number;
}

/** POSTs `file` as multipart field `file`, streamed from disk. */
function uploadFile(
  port: number,
  headers: Record<string, string>,
  file: string,
  format: string,
): Promise<ImportAnswer> {
  const boundary = '----qiaobench';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="registry.${format}"\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        port,
        host: '127.0.0.1',
        method: 'POST',
        path: '/api/registry/imports',
        headers: {
          ...headers,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': Buffer.byteLength(head) + statSync(file).size + Buffer.byteLength(tail),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) reject(new Error(`${res.statusCode} ${text.slice(0, 300)}`));
          else resolve(JSON.parse(text) as ImportAnswer);
        });
      },
    );
    req.on('error', reject);
    req.write(head);
    const stream = createReadStream(file);
    stream.on('error', reject);
    stream.on('end', () => req.end(tail));
    stream.pipe(req, { end: false });
  });
}

async function main() {
  if (pgUrl) {
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    await c.query(
      `create database ${dbName} template template0 encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8'`,
    );
    await c.end();
  }
  const url = pgUrl ? Object.assign(new URL(pgUrl), { pathname: `/${dbName}` }).toString() : undefined;
  const password = 'Qiao-Bench-Import-2026!';
  const config = loadConfig({
    NODE_ENV: 'test',
    QIAO_DATA_DIR: dir,
    QIAO_SECRET: 'bench-secret-bench-secret-bench-secret-01',
    QIAO_DEMO: '0',
    QIAO_ADMIN_USERNAME: 'admin',
    QIAO_ADMIN_PASSWORD: password,
    QIAO_JOBS: 'off',
    QIAO_LOGIN_RATE_PER_MINUTE: '100000',
    QIAO_IMPORT_MAX_MB: '1024',
    ...(url ? { DATABASE_URL: url } : {}),
  });
  const db = openDatabase(config.database);
  await migrate(db);
  await firstRun({ db, config, keyring: new Keyring(config.secret) }, () => {});
  const app = await buildApp({ config, db, logger: false });
  try {
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password },
    });
    const cookie = `qiao_session=${login.cookies.find((c) => c.name === 'qiao_session')!.value}`;
    const csrf = login.json<{ csrfToken: string }>().csrfToken;
    const headers = { cookie, 'x-csrf-token': csrf };
    const city = await db.kysely
      .selectFrom('jurisdictions')
      .select(['id', 'code'])
      .where('parent_id', 'is', null)
      .executeTakeFirstOrThrow();
    for (let k = 1; k <= 16; k++) {
      const code = `${city.code.slice(0, 2)}${String(k).padStart(4, '0')}`;
      await app.inject({
        method: 'POST',
        url: '/api/jurisdictions',
        headers,
        payload: { name: `区${k}`, level: 'district', parentId: city.id, code },
      });
    }
    const file = path.join(dir, `registry.${format}`);
    await writeRegistryFile(file, { rows, format, city: city.code, districts: 16, invalid: 1000 });
    const bytes = statSync(file).size;
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    console.log(`rss before importing: ${Math.round(process.memoryUsage().rss / 1e6)} MB`);
    // A real HTTP upload streamed from disk: neither side holds the file, so the peak RSS is the server's own.
    for (const run of ['first import', 're-import']) {
      let peak = process.memoryUsage().rss;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 200);
      const started = process.hrtime.bigint();
      const body = await uploadFile(port, headers, file, format);
      clearInterval(sampler);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      console.log(
        `${db.engine} ${run}: ${rows} rows (${(bytes / 1e6).toFixed(1)} MB ${format}) in ${seconds.toFixed(1)} s = ` +
          `${Math.round(rows / seconds)} rows/s; created ${body.created}, updated ${body.updated}, unchanged ${body.unchanged}, ` +
          `rejected ${body.rejectedCount}; peak rss ${Math.round(peak / 1e6)} MB`,
      );
    }
  } finally {
    await app.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
    if (pgUrl) {
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`drop database if exists ${dbName}`);
      await c.end();
    }
  }
}

await main();
