/**
 * The `import` scenario of `npm run bench` (issue 3: importRegistry at ≥ 20,000 rows/s with the
 * process under 300 MB RSS): a generated bureau file of `rows` rows (every 1,000th invalid) is
 * imported into a fresh database by the whole app over HTTP, then imported again (nothing changes);
 * the baseline is a bare driver insert loop of the same rows into another fresh database of the
 * same schema. Each side runs in its own forked process, whose peak RSS is read from the kernel
 * (`maxRSS`), so the uploading client and the file writer are not counted.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { loadConfig } from '../../apps/server/src/config.js';
import { benchEnv, dataRoot, type EngineDatabase } from '../engines.js';
import { writeRegistryFile, type RegistryFileOptions } from './generate-registry-file.js';
import { IMPORT_PASSWORD, type ChildMessage } from './import-child.js';

export interface ImportPass {
  seconds: number;
  rowsPerSecond: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export interface ImportRow {
  engine: string;
  rows: number;
  bytes: number;
  first: ImportPass;
  again: ImportPass;
  /** Peak RSS of the app's process over both imports (startup included), MB. */
  appPeakRssMb: number;
  baseline: { seconds: number; rowsPerSecond: number; inserted: number; peakRssMb: number };
  loadAverage: number;
}

interface ImportAnswer {
  created: number;
  updated: number;
  unchanged: number;
  rejectedCount: number;
}

function request(port: number, method: string, url: string, headers: Record<string, string>, body?: string) {
  return new Promise<{ status: number; text: string; cookies: string[] }>((resolve, reject) => {
    const req = http.request({ port, host: '127.0.0.1', method, path: url, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          text: Buffer.concat(chunks).toString('utf8'),
          cookies: res.headers['set-cookie'] ?? [],
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** POSTs `file` as the multipart field `file`, streamed from disk: neither side holds the file. */
function upload(port: number, headers: Record<string, string>, file: string): Promise<ImportAnswer> {
  const boundary = '----qiaobench';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="registry.csv"\r\n\r\n`;
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
          if (res.statusCode !== 200)
            reject(new Error(`importRegistry answered ${res.statusCode}: ${text.slice(0, 300)}`));
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

/**
 * The V8 old-space limit `npm start` gives the server (package.json: `QIAO_HEAP_MB`, default in the
 * script), so the app side runs with the heap it runs with in production (ADR 0014).
 */
export function startHeapMb(): number {
  const pkg = JSON.parse(readFileSync(path.join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const m = /--max-old-space-size=\$\{QIAO_HEAP_MB:-(\d+)\}/.exec(pkg.scripts.start);
  if (!m) throw new Error('package.json: npm start no longer sets --max-old-space-size; update the import bench');
  return Number(process.env.QIAO_HEAP_MB ?? m[1]);
}

function forkChild(side: 'app' | 'baseline', env: Record<string, string>, options: RegistryFileOptions) {
  const child = fork(path.join(import.meta.dirname, 'import-child.ts'), [], {
    execArgv: side === 'app' ? [...process.execArgv, `--max-old-space-size=${startHeapMb()}`] : process.execArgv,
    env: {
      ...process.env,
      ...env,
      QIAO_IMPORT_MAX_MB: '2048',
      QIAO_IMPORT_SIDE: side,
      QIAO_IMPORT_FILE_OPTIONS: JSON.stringify(options),
    },
  });
  const messages: ChildMessage[] = [];
  const waiters: (() => void)[] = [];
  child.on('message', (m) => {
    messages.push(m as ChildMessage);
    waiters.splice(0).forEach((w) => w());
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  /** The next message with `key`, or the child's failure. */
  const next = <K extends string>(key: K) =>
    new Promise<Extract<ChildMessage, Record<K, unknown>>>((resolve, reject) => {
      const look = () => {
        const i = messages.findIndex((m) => key in m);
        if (i >= 0) return resolve(messages.splice(i, 1)[0] as Extract<ChildMessage, Record<K, unknown>>);
        waiters.push(look);
      };
      child.once('exit', (code) => reject(new Error(`the ${side} process exited (code ${code})`)));
      look();
    });
  const stop = async (c: ChildProcess = child) => {
    if (c.exitCode !== null || c.signalCode !== null) return;
    if (side === 'app') c.send('stop');
    else c.kill('SIGTERM');
    const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  return { child, next, stop };
}

const pass = (answer: ImportAnswer, seconds: number, rows: number): ImportPass => ({
  seconds,
  rowsPerSecond: rows / seconds,
  created: answer.created,
  updated: answer.updated,
  unchanged: answer.unchanged,
  rejected: answer.rejectedCount,
});

/**
 * Measures the import on one engine: the baseline first, then the app (first import and re-import),
 * each on its own fresh database made by `make`.
 */
export async function measureImport(
  make: () => Promise<EngineDatabase>,
  rows: number,
  log: (line: string) => void,
  cleanup: Set<() => Promise<void>>,
): Promise<ImportRow> {
  const loadAverage = (await import('node:os')).loadavg()[0]!;
  const cityCode = loadConfig({ QIAO_SECRET: 'x'.repeat(32) }).cityCode;
  const options: RegistryFileOptions = { rows, format: 'csv', city: cityCode, districts: 16, invalid: 1000 };
  const file = path.join(dataRoot, `registry-${randomBytes(4).toString('hex')}.csv`);
  const removeFile = async () => rmSync(file, { force: true });
  cleanup.add(removeFile);
  const databases: EngineDatabase[] = [];
  try {
    await writeRegistryFile(file, options);
    const bytes = statSync(file).size;

    const baseDb = await make();
    databases.push(baseDb);
    cleanup.add(baseDb.dispose);
    log(`  import baseline: inserting ${rows.toLocaleString('en-US')} rows on the driver…`);
    const base = forkChild('baseline', benchEnv(baseDb), options);
    cleanup.add(base.stop);
    const measured = (await base.next('baseline')).baseline;
    const basePeak = (await base.next('peakRssMb')).peakRssMb;
    await base.stop();
    cleanup.delete(base.stop);

    const appDb = await make();
    databases.push(appDb);
    cleanup.add(appDb.dispose);
    const app = forkChild('app', benchEnv(appDb), options);
    cleanup.add(app.stop);
    const { port } = await app.next('ready');
    const login = await request(
      port,
      'POST',
      '/api/auth/login',
      { 'content-type': 'application/json' },
      JSON.stringify({ username: 'admin', password: IMPORT_PASSWORD }),
    );
    if (login.status !== 200) throw new Error(`login answered ${login.status}: ${login.text}`);
    const cookie = login.cookies.find((c) => c.startsWith('qiao_session='))!.split(';')[0]!;
    const headers = { cookie, 'x-csrf-token': (JSON.parse(login.text) as { csrfToken: string }).csrfToken };
    const passes: ImportPass[] = [];
    for (const label of ['first import', 're-import']) {
      log(`  import app: ${label} of ${rows.toLocaleString('en-US')} rows…`);
      const started = performance.now();
      const answer = await upload(port, headers, file);
      passes.push(pass(answer, (performance.now() - started) / 1000, rows));
    }
    app.child.send('peak');
    const appPeak = (await app.next('peakRssMb')).peakRssMb;
    await app.stop();
    cleanup.delete(app.stop);

    const [first, again] = passes as [ImportPass, ImportPass];
    if (first.created + first.rejected !== rows || again.unchanged !== first.created || again.created + again.updated)
      throw new Error(`the import's counts are wrong: ${JSON.stringify(passes)}`);
    const row: ImportRow = {
      engine: appDb.engine,
      rows,
      bytes,
      first,
      again,
      appPeakRssMb: appPeak,
      baseline: {
        seconds: measured.seconds,
        rowsPerSecond: measured.inserted / measured.seconds,
        inserted: measured.inserted,
        peakRssMb: basePeak,
      },
      loadAverage,
    };
    log(
      `  import / ${row.engine}: app ${Math.round(first.rowsPerSecond)} rows/s (re-import ${Math.round(again.rowsPerSecond)}), ` +
        `peak RSS ${appPeak} MB; baseline ${Math.round(row.baseline.rowsPerSecond)} rows/s`,
    );
    return row;
  } finally {
    for (const d of databases) {
      await d.dispose();
      cleanup.delete(d.dispose);
    }
    await removeFile();
    cleanup.delete(removeFile);
  }
}
