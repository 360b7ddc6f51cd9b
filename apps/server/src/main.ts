import path from 'node:path';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { migrate, openDatabase } from './db/database.js';
import { Keyring } from './platform/crypto.js';
import { failAbandonedImports } from './modules/registry-sync/registry-import-jobs.service.js';
import { startJobs } from './platform/jobs.js';
import { firstRun } from './setup/first-run.js';

const SHUTDOWN_MS = 10_000;

/** Starts one Qiao process: migrate, first-run setup, then serve API and UI until SIGTERM. */
async function main() {
  const config = loadConfig();
  const db = openDatabase(config.database);
  await migrate(db);
  await firstRun({ db, config, keyring: new Keyring(config.secret) }, (line) => console.log(line));
  // Background imports whose process stopped renewing their heartbeat died with it; other processes' live jobs are left.
  const interrupted = await failAbandonedImports(db.kysely, path.join(config.dataDir, 'imports'));
  if (interrupted) console.log(`${interrupted} background import(s) abandoned by a stopped process are marked failed.`);
  const app = await buildApp({ config, db });
  // One scheduler per process; the lease rows let several processes share one database safely.
  const stopJobs = config.jobs ? startJobs(app.jobs, { db: db.kysely, log: app.log }) : () => {};

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: no new connections, finishing requests in flight');
    const timer = setTimeout(() => {
      app.log.error('requests still running after 10 s; exiting');
      process.exit(1);
    }, SHUTDOWN_MS);
    timer.unref();
    stopJobs();
    await app.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  const bound = app.server.address();
  const port = typeof bound === 'object' && bound ? bound.port : config.port;
  const host = config.host === '0.0.0.0' ? 'localhost' : config.host;
  console.log(`Qiao is serving http://${host}:${port}/ (${db.engine})`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
