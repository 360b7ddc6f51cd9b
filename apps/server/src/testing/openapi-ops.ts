import type { FastifyInstance } from 'fastify';

/** One operation of the OpenAPI document, as the generic tests walk them. */
export interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  operationId: string;
  isPublic: boolean;
  bodySchema?: JsonSchema;
  /** The operation takes a multipart/form-data upload (its file field) instead of JSON. */
  multipart: boolean;
  querySchema: Record<string, JsonSchema>;
}

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  items?: JsonSchema;
  format?: string;
  pattern?: string;
  anyOf?: JsonSchema[];
  examples?: unknown[];
}

export async function listOperations(app: FastifyInstance): Promise<Operation[]> {
  const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
    paths: Record<
      string,
      Record<
        string,
        {
          operationId: string;
          security?: unknown[];
          requestBody?: { content: Record<string, { schema: JsonSchema }> };
          parameters?: { in: string; name: string; schema: JsonSchema }[];
        }
      >
    >;
  }>();
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      ops.push({
        method: method.toUpperCase() as Operation['method'],
        path,
        operationId: op.operationId,
        isPublic: Array.isArray(op.security) && op.security.length === 0,
        bodySchema: op.requestBody?.content['application/json']?.schema,
        multipart: Boolean(op.requestBody?.content['multipart/form-data']),
        querySchema: Object.fromEntries(
          (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => [p.name, p.schema]),
        ),
      });
    }
  }
  return ops;
}

/** The resource a path's `{id}` names: its first segment after /api (`/api/users/{id}/disable` → users). */
export function resourceOf(path: string): string {
  return path.split('/')[2] ?? '';
}

/** A URL with `{id}` filled in. */
export function fill(path: string, id: number | string): string {
  return path.replace('{id}', String(id));
}

/**
 * A plausible body for a schema: examples where the schema has them, ids from `ids` by field
 * name (jurisdictionId, parentId, departmentId), the first enum value, and text otherwise.
 */
export function sampleBody(schema: JsonSchema | undefined, ids: Record<string, number>, text = '测试'): unknown {
  if (!schema) return {};
  if (schema.examples?.length) return schema.examples[0];
  if (schema.anyOf) return sampleBody(schema.anyOf.find((s) => s.type !== 'null') ?? schema.anyOf[0], ids, text);
  if (schema.enum) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([k, s]) => [k, k in ids ? ids[k] : sampleBody(s, ids, text)]),
      );
    case 'array':
      return schema.items ? [sampleBody(schema.items, ids, text)] : [];
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    default:
      if (schema.format === 'date-time') return new Date(Date.now() + 86_400_000).toISOString();
      if (schema.format === 'date') return '2026-01-01';
      return text;
  }
}
