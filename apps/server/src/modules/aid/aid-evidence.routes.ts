import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { aidEvidenceFile, documentParams, idParams } from '@qiao/contracts';
import { requestContext } from '../../platform/http/auth-hook.js';
import { contentDisposition } from '../../platform/files/content-type.js';
import { acceptUploads, readUpload } from '../../platform/files/multipart-upload.js';
import type { AidEvidenceService } from './aid-evidence.service.js';

const tags = ['aid'];

/** Evidence files of aid applications: its own plugin, so only these routes read multipart bodies. */
export const aidEvidenceRoutes: FastifyPluginAsyncZod<{ service: AidEvidenceService }> = async (app, { service }) => {
  await acceptUploads(app, service.maxBytes);

  app.post(
    '/aid-applications/:id/evidence',
    {
      schema: {
        operationId: 'uploadAidEvidence',
        tags,
        summary:
          'Attach a scanned evidence file (PDF, JPEG or PNG ≤ 10 MB, typed by its content) to an aid application',
        consumes: ['multipart/form-data'],
        params: idParams,
        response: { 201: aidEvidenceFile },
      },
      config: {
        permission: 'aid:manage',
        multipartForm: {
          type: 'object',
          required: ['file'],
          properties: { file: { type: 'string', format: 'binary' } },
        },
      },
    },
    async (req, reply) => {
      const ctx = requestContext(req);
      await service.checkUploadable(ctx, req.params.id);
      const upload = await readUpload(req, service.files, 'the field file');
      return reply.code(201).send(await service.attach(ctx, req.params.id, upload));
    },
  );

  app.get(
    '/aid-applications/:id/evidence',
    {
      schema: {
        operationId: 'listAidEvidence',
        tags,
        summary: 'The evidence files of an aid application, newest first',
        params: idParams,
        response: { 200: z.object({ items: z.array(aidEvidenceFile) }) },
      },
      config: { permission: 'aid:read' },
    },
    async (req) => ({ items: await service.list(requestContext(req), req.params.id) }),
  );

  app.get(
    '/aid-applications/:id/evidence/:docId',
    {
      schema: {
        operationId: 'downloadAidEvidence',
        tags,
        summary: 'Download an evidence file as an attachment, to those who see the application (audited)',
        params: documentParams,
      },
      config: { permission: 'aid:read' },
    },
    async (req, reply) => {
      const { file, stream } = await service.open(requestContext(req), req.params.id, req.params.docId);
      return reply
        .header('content-disposition', contentDisposition(file.fileName))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .header('content-length', file.size)
        .type(file.contentType)
        .send(stream);
    },
  );
};
