import type { Permission } from '@qiao/contracts';
import type { SessionActor } from '../auth/sessions.js';
import type { Job } from '../jobs.js';
import type { Actor } from '../scope.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** No session or token needed (health, OpenAPI, login, the public directory). */
    public?: boolean;
    /** The permission the route needs (any one of a list); checked before the body is even read. */
    permission?: Permission | readonly Permission[];
    /** Reachable while a role that requires two-factor has not enrolled yet. */
    allowDuringMfaSetup?: boolean;
    /** The JSON Schema of a multipart form, for the OpenAPI document only (the route reads the parts itself). */
    multipartForm?: Record<string, unknown>;
  }
  interface FastifyInstance {
    /** The scheduled jobs of this app; main.ts starts them unless QIAO_JOBS=off. */
    jobs: Job[];
  }
  interface FastifyRequest {
    actor: Actor | null;
    session: SessionActor | null;
  }
}
