import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../apps/server/src/app.js';
import { loadConfig } from '../apps/server/src/config.js';
import { openDatabase } from '../apps/server/src/db/database.js';
import { startBaseline } from './baseline.js';

/** What the child tells the bench once both servers listen. */
export interface ServerPorts {
  app: number;
  baseline: number;
}

function port(server: FastifyInstance): number {
  return (server.server.address() as AddressInfo).port;
}

/**
 * The process under load, forked by run.ts so the load generator never shares its event loop:
 * the full app and the bare baseline, each on its own loopback port, over the same database.
 */
async function main() {
  const config = loadConfig(process.env);
  const db = openDatabase(config.database);
  const app = await buildApp({ config, db, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const baseline = await startBaseline(config.database);
  process.on('message', (message) => {
    if (message !== 'stop') return;
    void Promise.all([app.close(), baseline.close()])
      .then(() => db.close())
      .then(() => process.exit(0));
  });
  // If the bench dies without saying stop, the IPC channel closes: do not linger as an orphan.
  process.on('disconnect', () => process.exit(0));
  process.send!({ app: port(app), baseline: port(baseline) } satisfies ServerPorts);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
