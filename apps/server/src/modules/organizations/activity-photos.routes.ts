import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { activityParams, activityPhoto, activityPhotoParams } from '@qiao/contracts';
import { acceptUploads, readUpload } from '../../platform/files/multipart-upload.js';
import { requestContext } from '../../platform/http/auth-hook.js';
import type { ActivityPhotoService } from './activity-photos.service.js';

const tags = ['organizations'];

/** `inline` (an <img> and the viewer show it) with an ASCII fallback and the UTF-8 name. */
function inlineDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export const activityPhotoRoutes: FastifyPluginAsyncZod<{ service: ActivityPhotoService }> = async (
  app,
  { service },
) => {
  // This plugin reads multipart bodies of its own: one photo, a few ignored fields, the upload limit.
  await acceptUploads(app, service.maxBytes);

  app.post(
    '/organizations/:id/activities/:activityId/photos',
    {
      schema: {
        operationId: 'addActivityPhoto',
        tags,
        summary: 'Add a photo (JPEG or PNG, typed by its content) to an activity of an organization',
        consumes: ['multipart/form-data'],
        params: activityParams,
        response: { 201: activityPhoto },
      },
      config: {
        permission: 'activity:record',
        multipartForm: {
          type: 'object',
          required: ['file'],
          properties: { file: { type: 'string', format: 'binary' } },
        },
      },
    },
    async (req, reply) => {
      const ctx = requestContext(req);
      const { id, activityId } = req.params;
      await service.checkPhotoTarget(ctx, id, activityId);
      const { fileName, staged } = await readUpload(req, service.files, 'the photo as "file"');
      return reply.code(201).send(await service.addActivityPhoto(ctx, id, activityId, { fileName, staged }));
    },
  );

  app.get(
    '/organizations/:id/activities/:activityId/photos/:photoId',
    {
      schema: {
        operationId: 'getActivityPhoto',
        tags,
        summary: 'An activity’s photo (the image itself), to those who may see the organization',
        params: activityPhotoParams,
        produces: ['image/jpeg', 'image/png'],
      },
      config: { permission: 'organization:read' },
    },
    async (req, reply) => {
      const { id, activityId, photoId } = req.params;
      const { photo, stream } = await service.openActivityPhoto(requestContext(req), id, activityId, photoId);
      return reply
        .header('content-disposition', inlineDisposition(photo.fileName))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .header('content-length', photo.size)
        .type(photo.contentType)
        .send(stream);
    },
  );

  app.delete(
    '/organizations/:id/activities/:activityId/photos/:photoId',
    {
      schema: {
        operationId: 'deleteActivityPhoto',
        tags,
        summary: 'Remove a photo from an activity (center staff); the audit trail keeps who, when and its digest',
        params: activityPhotoParams,
        response: { 204: z.null() },
      },
      config: { permission: 'organization:manage' },
    },
    async (req, reply) => {
      const { id, activityId, photoId } = req.params;
      await service.deleteActivityPhoto(requestContext(req), id, activityId, photoId);
      return reply.code(204).send(null);
    },
  );
};
