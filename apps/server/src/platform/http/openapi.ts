import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { APP_VERSION } from '../../version.js';
import { SESSION_COOKIE } from './auth-hook.js';

const multipartFileBody = {
  type: 'object',
  required: ['file'],
  properties: { file: { type: 'string', format: 'binary', description: 'the uploaded file' } },
} as const;

/** OpenAPI 3.1 at /api/openapi.json, generated from the zod schemas the routes validate with. */
export async function registerOpenApi(app: FastifyInstance) {
  // The docs UI and its assets are public like the document itself.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/docs')) route.config = { ...route.config, public: true };
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Qiao (桥) API',
        version: APP_VERSION,
        description:
          'Errors are application/problem+json {type,title,status,detail,code,errors?}. Cookie-authenticated writes send the header x-csrf-token.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          apiToken: { type: 'http', scheme: 'bearer', description: 'An API token (qiao_…) from createApiToken' },
        },
      },
      security: [{ session: [] }, { apiToken: [] }],
    },
    // Upload routes read their multipart stream themselves; the document still shows the form they take:
    // the route's own form description, or else the single file field.
    transform: (input) => {
      const out = jsonSchemaTransform(input);
      const form = input.route.config?.multipartForm;
      if (form) return { ...out, schema: { ...out.schema, body: form } };
      const consumes = (input.schema as { consumes?: string[] } | undefined)?.consumes;
      if (consumes?.includes('multipart/form-data')) out.schema = { ...out.schema, body: multipartFileBody };
      return out;
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', uiConfig: { deepLinking: false } });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { public: true } }, async () => app.swagger());
}
