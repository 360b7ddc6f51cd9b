import fastifyMultipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { createReadStream } from 'node:fs';
import {
  assignOrganizationBody,
  exportFilingsQuery,
  exportOrganizationsQuery,
  idParams,
  importRegistryQuery,
  listRegistryImportJobsQuery,
  listRegistryImportJobsResponse,
  organization,
  registryImportJob,
  registryImportResult,
  registryReconciliation,
} from '@qiao/contracts';
import { DomainError } from '../../platform/errors.js';
import { requestContext } from '../../platform/http/auth-hook.js';
import { noFile, spoolUpload, type SpooledFile } from './registry-file.js';
import type { Spreadsheet } from './export-writer.js';
import type { RegistryExportService } from './registry-exports.service.js';
import type { RegistryImportJobService } from './registry-import-jobs.service.js';
import type { RegistryReconcileService } from './registry-reconcile.service.js';
import type { RegistrySyncService } from './registry-sync.service.js';

const tags = ['registry-sync'];

/** A broken multipart body (busboy's parse errors) is the client's: 400. Disk and other system errors stay 500. */
function unreadableUpload(e: unknown): unknown {
  if (e instanceof DomainError) return e;
  const err = e as { statusCode?: number; syscall?: string };
  if (typeof err.statusCode === 'number' || err.syscall) return e;
  return new DomainError('bad_request', 'The multipart upload could not be read.');
}

/** The multipart `file` part, written to a temporary file; 413 past the import limit, before anything is imported. */
async function receiveFile(
  req: FastifyRequest,
  maxBytes: number,
  under?: string,
): Promise<{ upload: SpooledFile; filename: string }> {
  if (!req.isMultipart())
    throw new DomainError('unsupported_media_type', 'Send multipart/form-data with the registry file as "file".');
  let part: MultipartFile | undefined;
  let upload: SpooledFile;
  try {
    part = await req.file({ limits: { fileSize: maxBytes, files: 1, fields: 10, parts: 20 } });
    if (!part || part.fieldname !== 'file') throw noFile();
    upload = await spoolUpload(part.file, under);
  } catch (e) {
    throw unreadableUpload(e);
  }
  if (part.file.truncated) {
    await upload.dispose();
    throw new DomainError('payload_too_large', `A registry file may be at most ${maxBytes / 1024 / 1024} MB.`);
  }
  return { upload, filename: part.filename.slice(0, 200) };
}

export const registrySyncRoutes: FastifyPluginAsyncZod<{
  service: RegistrySyncService;
  exports: RegistryExportService;
  reconcile: RegistryReconcileService;
  jobs: RegistryImportJobService;
  importMaxMb: number;
}> = async (app, { service, exports, reconcile, jobs, importMaxMb }) => {
  const maxBytes = importMaxMb * 1024 * 1024;
  // Registered here only: no other route accepts multipart bodies.
  await app.register(fastifyMultipart, { limits: { fileSize: maxBytes, files: 1 } });

  const send = (reply: FastifyReply, sheet: Spreadsheet, name: string) => {
    const stream = createReadStream(sheet.file);
    stream.on('close', () => void sheet.dispose());
    const day = new Date().toISOString().slice(0, 10);
    return reply
      .type(sheet.contentType)
      .header('content-disposition', `attachment; filename="${name}-${day}.${sheet.extension}"`)
      .header('x-row-count', String(sheet.rows))
      .send(stream);
  };

  app.post(
    '/registry/imports',
    {
      schema: {
        operationId: 'importRegistry',
        tags,
        summary:
          'Import the municipal bureau’s registry export (CSV UTF-8/GBK or JSON lines): upsert by USCC, valid rows kept, invalid rows listed by line; background=true answers 202 with a job to follow',
        consumes: ['multipart/form-data'],
        querystring: importRegistryQuery,
        response: { 200: registryImportResult, 202: registryImportJob },
      },
      config: { permission: 'registry:import' },
    },
    async (req, reply) => {
      if (req.query.background === 'true') {
        const { upload, filename } = await receiveFile(req, maxBytes, jobs.uploadDir);
        const job = await jobs.startImport(requestContext(req), upload, filename, (error) =>
          req.log.error({ err: error }, 'background registry import failed'),
        );
        return reply.code(202).header('location', `/api/registry/import-jobs/${job.id}`).send(job);
      }
      const { upload, filename } = await receiveFile(req, maxBytes);
      try {
        return await service.importRegistry(requestContext(req), upload, filename);
      } finally {
        await upload.dispose();
      }
    },
  );

  app.get(
    '/registry/import-jobs',
    {
      schema: {
        operationId: 'listRegistryImportJobs',
        tags,
        summary:
          'Background registry imports the caller started or that were started in its subtree, newest first: who, when, file, counts, state',
        querystring: listRegistryImportJobsQuery,
        response: { 200: listRegistryImportJobsResponse },
      },
      config: { permission: 'registry:import' },
    },
    async (req) => jobs.listImportJobs(requestContext(req), req.query),
  );

  app.get(
    '/registry/import-jobs/:id',
    {
      schema: {
        operationId: 'getRegistryImportJob',
        tags,
        summary:
          'A background registry import: rows read and counts so far, then its summary and rejected rows, or why it failed',
        params: idParams,
        response: { 200: registryImportJob },
      },
      config: { permission: 'registry:import' },
    },
    async (req) => jobs.getImportJob(requestContext(req), req.params.id),
  );

  app.post(
    '/registry/reconciliations',
    {
      schema: {
        operationId: 'reconcileRegistry',
        tags,
        summary:
          'Compare the bureau’s registry file with Qiao in the caller’s scope: only in the file, only in Qiao, differing fields; writes nothing',
        consumes: ['multipart/form-data'],
        response: { 200: registryReconciliation },
      },
      config: { permission: 'registry:import' },
    },
    async (req) => {
      const { upload } = await receiveFile(req, maxBytes);
      try {
        return await reconcile.reconcileRegistry(requestContext(req), upload);
      } finally {
        await upload.dispose();
      }
    },
  );

  app.post(
    '/organizations/:id/assign',
    {
      schema: {
        operationId: 'assignOrganizationJurisdiction',
        tags,
        summary: 'Place an organization (one waiting at district or city level after an import) in a subdistrict',
        params: idParams,
        body: assignOrganizationBody,
        response: { 200: organization },
      },
      config: { permission: 'registry:import' },
    },
    async (req) => service.assignOrganizationJurisdiction(requestContext(req), req.params.id, req.body.jurisdictionId),
  );

  app.get(
    '/organizations/export',
    {
      schema: {
        operationId: 'exportOrganizations',
        tags,
        summary:
          'The filtered organization list as CSV (UTF-8 with BOM) or XLSX; personal data masked unless revealed with a reason',
        querystring: exportOrganizationsQuery,
        produces: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      },
      config: { permission: 'organization:read' },
    },
    async (req, reply) =>
      send(reply, await exports.exportOrganizations(requestContext(req), req.query), 'qiao-organizations'),
  );

  app.get(
    '/registry/filings/export',
    {
      schema: {
        operationId: 'exportFilings',
        tags,
        summary: 'Filed community organizations in the bureau’s column layout, CSV or XLSX',
        querystring: exportFilingsQuery,
        produces: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      },
      config: { permission: 'organization:read' },
    },
    async (req, reply) => send(reply, await exports.exportFilings(requestContext(req), req.query), 'qiao-filings'),
  );
};
