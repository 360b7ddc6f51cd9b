import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { APP_VERSION } from '../../version.js';
import { SESSION_COOKIE } from './auth-hook.js';

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
    transform: (input) => {
      const out = jsonSchemaTransform(input);
      // A multipart route validates its parts itself; the document still shows the form it takes.
      const form = input.route.config?.multipartForm;
      return form ? { ...out, schema: { ...out.schema, body: form } } : out;
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', uiConfig: { deepLinking: false } });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { public: true } }, async () => app.swagger());
}
