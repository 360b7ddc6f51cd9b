import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { documentParams, documentTypes, idParams, organizationDocument } from '@qiao/contracts';
import { requestContext } from '../../platform/http/auth-hook.js';
import { contentDisposition } from '../../platform/files/content-type.js';
import { acceptUploads, readUpload } from '../../platform/files/multipart-upload.js';
import type { DocumentService } from './documents.service.js';

const tags = ['documents'];

export const documentRoutes: FastifyPluginAsyncZod<{ service: DocumentService }> = async (app, { service }) => {
  // Only this plugin reads multipart bodies: one file, a few small fields, the configured size.
  await acceptUploads(app, service.maxBytes);

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
      const { fields, fileName, staged } = await readUpload(req, service.files, 'the fields type and file');
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
