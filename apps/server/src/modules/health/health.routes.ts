import { sql } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import { APP_VERSION } from '../../version.js';

export const healthRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/health',
    {
      schema: {
        operationId: 'getHealth',
        tags: ['health'],
        summary: 'Liveness and the database engine in use (for load balancers)',
        security: [],
        response: {
          200: z.object({ status: z.literal('ok'), database: z.enum(['sqlite', 'postgres']), version: z.string() }),
        },
      },
      config: { public: true },
    },
    async () => {
      await sql`select 1`.execute(db.kysely);
      return { status: 'ok' as const, database: db.engine, version: APP_VERSION };
    },
  );
};
