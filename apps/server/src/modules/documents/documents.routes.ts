import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { documentParams, documentTypes, idParams, organizationDocument } from '@qiao/contracts';
import { requestContext } from '../../platform/http/auth-hook.js';
import { DomainError } from '../../platform/errors.js';
import { contentDisposition } from './content-type.js';
import type { DocumentService, StagedFile } from './documents.service.js';

const tags = ['documents'];

// What the multipart parser (busboy) throws for a body it cannot read: the client's fault, not ours.
const MALFORMED =
  /^(Multipart: Boundary not found|Unexpected end of (multipart data|form)|.* terminated early due to unexpected end of multipart data|The needle cannot|Malformed part header)/;

/** A parser error becomes 400 bad_request; anything else (storage, limits with their own status) is left as it is. */
function readableError(e: unknown): unknown {
  if (e instanceof Error && !('statusCode' in e) && !('code' in e) && MALFORMED.test(e.message))
    return new DomainError('bad_request', 'The multipart body could not be read.');
  return e;
}

export const documentRoutes: FastifyPluginAsyncZod<{ service: DocumentService }> = async (app, { service }) => {
  // Only this plugin reads multipart bodies: one file, a few small fields, the configured size.
  await app.register(fastifyMultipart, {
    limits: { fileSize: service.maxBytes, files: 1, fields: 5, parts: 6, fieldSize: 1000, fieldNameSize: 100 },
  });

  app.post(
    '/organizations/:id/documents',
    {
      schema: {
        operationId: 'uploadOrganizationDocument',
        tags,
        summary: 'Attach a document (PDF, JPEG or PNG, typed by its content) to an organization',
        consumes: ['multipart/form-data'],
        params: idParams,
        response: { 201: organizationDocument },
      },
      config: {
        permission: ['organization:manage', 'application:own'],
        multipartForm: {
          type: 'object',
          required: ['type', 'file'],
          properties: {
            type: { type: 'string', enum: [...documentTypes] },
            file: { type: 'string', format: 'binary' },
          },
        },
      },
    },
    async (req, reply) => {
      const ctx = requestContext(req);
      await service.checkUploadable(ctx, req.params.id);
      if (!req.isMultipart())
        throw new DomainError('unsupported_media_type', 'Send multipart/form-data with the fields type and file.');
      const fields: Record<string, string> = {};
      let staged: StagedFile | null = null;
      let fileName: string | undefined;
      try {
        for await (const part of req.parts()) {
          if (part.type === 'file') {
            if (part.fieldname !== 'file' || staged) {
              part.file.resume();
              continue;
            }
            fileName = part.filename;
            staged = await service.stageFile(part.file);
          } else if (typeof part.value === 'string') {
            fields[part.fieldname] = part.value;
          }
        }
      } catch (e) {
        await service.discard(staged);
        throw readableError(e);
      }
      return reply
        .code(201)
        .send(await service.uploadDocument(ctx, req.params.id, { type: fields.type, fileName, staged }));
    },
  );

  app.get(
    '/organizations/:id/documents',
    {
      schema: {
        operationId: 'listOrganizationDocuments',
        tags,
        summary: 'The documents attached to an organization, newest first',
        params: idParams,
        response: { 200: z.object({ items: z.array(organizationDocument) }) },
      },
      config: { permission: ['organization:read', 'application:own'] },
    },
    async (req) => ({ items: await service.listOrganizationDocuments(requestContext(req), req.params.id) }),
  );

  app.get(
    '/organizations/:id/documents/:docId',
    {
      schema: {
        operationId: 'downloadOrganizationDocument',
        tags,
        summary: 'Download a document as an attachment, to those who may see the organization',
        params: documentParams,
      },
      config: { permission: ['organization:read', 'application:own'] },
    },
    async (req, reply) => {
      const { document, stream } = await service.openDocument(requestContext(req), req.params.id, req.params.docId);
      return reply
        .header('content-disposition', contentDisposition(document.fileName))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .header('content-length', document.size)
        .type(document.contentType)
        .send(stream);
    },
  );
};
