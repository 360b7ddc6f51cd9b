import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { sendProblem } from './problem.js';

/** Serves the built web app at / with an index.html fallback for client-side routes. */
export async function registerWebUi(app: FastifyInstance, webDist: string) {
  const hasUi = existsSync(path.join(webDist, 'index.html'));
  if (hasUi) {
    await app.register(fastifyStatic, { root: webDist, wildcard: false, index: false });
  }
  app.setNotFoundHandler(async (req, reply) => {
    if (req.url.startsWith('/api/') || req.url === '/api' || req.method !== 'GET') {
      return sendProblem(reply, 'not_found', 'No such endpoint.');
    }
    if (!hasUi) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The web UI is not built yet: run `npm run build`.');
    }
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').sendFile('index.html');
  });
}
