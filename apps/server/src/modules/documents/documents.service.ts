import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { documentTypes, type DocumentType, type FieldError, type OrganizationDocument } from '@qiao/contracts';
import { nowIso } from '../../db/database.js';
import type { DocumentRow } from '../../db/schema.js';
import { recordAudit } from '../../platform/audit/audit-log.js';
import type { Deps } from '../../platform/deps.js';
import { DomainError, invalidFields, notFound } from '../../platform/errors.js';
import { auditContext, type RequestContext } from '../../platform/scope.js';
import type { OrganizationService } from '../organizations/organizations.service.js';
import { stageUpload } from '../../platform/file-store.js';
import { safeFileName, sniffContentType, type DocumentContentType } from './content-type.js';
import * as q from './documents.queries.js';

/** A file written to storage under a random name, not yet recorded. */
export interface StagedFile {
  storageKey: string;
  size: number;
  sha256: string;
  contentType: DocumentContentType | null;
}

export function presentDocument(r: DocumentRow): OrganizationDocument {
  return {
    id: r.id,
    organizationId: r.organization_id,
    type: r.type as DocumentType,
    fileName: r.file_name,
    contentType: r.content_type as DocumentContentType,
    size: r.size,
    sha256: r.sha256,
    uploadedBy: r.uploaded_by_name,
    createdAt: r.created_at,
  };
}

/**
 * Documents of an organization (charter, certificates, commitment letter): kept outside the web
 * root under QIAO_DATA_DIR/documents/<random id>, typed by their content, served to those in scope.
 */
export function createDocumentService({ db, config }: Deps, organizations: OrganizationService) {
  const kysely = db.kysely;
  const dir = path.join(config.dataDir, 'documents');
  const fileOf = (key: string) => path.join(dir, key);

  return {
    maxBytes: config.maxUploadBytes,

    /** 404 unless the caller may attach documents to this organization: staff in scope, or its own officer. */
    async checkUploadable(ctx: RequestContext, organizationId: number): Promise<void> {
      await organizations.getVisible(ctx, organizationId);
    },

    /** Streams an upload to storage, hashing and sniffing it on the way; removes the partial file on failure. */
    async stageFile(stream: Readable): Promise<StagedFile> {
      const { head, ...staged } = await stageUpload(dir, stream);
      return { ...staged, contentType: sniffContentType(head) };
    },
    async discard(staged: StagedFile | null): Promise<void> {
      if (staged) await rm(fileOf(staged.storageKey), { force: true });
    },

    /** Records a staged upload, or discards it and answers why not (422 fields, 415 content). */
    async uploadDocument(
      ctx: RequestContext,
      organizationId: number,
      upload: { type: string | undefined; fileName: string | undefined; staged: StagedFile | null },
    ): Promise<OrganizationDocument> {
      const { staged } = upload;
      try {
        const org = await organizations.getVisible(ctx, organizationId);
        const errors: FieldError[] = [];
        if (!documentTypes.includes(upload.type as DocumentType))
          errors.push({ field: 'type', code: 'invalid_enum_value', message: `one of ${documentTypes.join(', ')}` });
        if (!staged) errors.push({ field: 'file', code: 'required', message: 'attach a file' });
        else if (staged.size === 0) errors.push({ field: 'file', code: 'empty', message: 'the file is empty' });
        if (errors.length) throw invalidFields(errors);
        const contentType = staged!.contentType;
        if (!contentType)
          throw new DomainError('unsupported_media_type', 'Upload a PDF, JPEG or PNG file (checked by its content).');
        const id = await kysely.transaction().execute(async (trx) => {
          const audit = auditContext(ctx);
          const id = await q.insertDocument(trx, {
            organization_id: org.id,
            type: upload.type!,
            storage_key: staged!.storageKey,
            file_name: safeFileName(upload.fileName, contentType),
            content_type: contentType,
            size: staged!.size,
            sha256: staged!.sha256,
            uploaded_by_id: audit.actorId,
            uploaded_by_name: audit.actorName,
            created_at: nowIso(),
          });
          await recordAudit(trx, audit, {
            action: 'document.upload',
            entityType: 'document',
            entityId: id,
            jurisdiction: { id: org.jurisdiction_id, path: org.jurisdiction_path },
            details: { organizationId: org.id, type: upload.type, size: staged!.size, sha256: staged!.sha256 },
          });
          return id;
        });
        return presentDocument((await q.findDocument(kysely, org.id, id))!);
      } catch (e) {
        await rm(staged ? fileOf(staged.storageKey) : path.join(dir, '.none'), { force: true });
        throw e;
      }
    },

    async listOrganizationDocuments(ctx: RequestContext, organizationId: number): Promise<OrganizationDocument[]> {
      await organizations.getVisible(ctx, organizationId);
      return (await q.listDocuments(kysely, organizationId)).map(presentDocument);
    },

    /** The document and a stream of its bytes, to those who may see the organization. */
    async openDocument(ctx: RequestContext, organizationId: number, documentId: number) {
      await organizations.getVisible(ctx, organizationId);
      const row = await q.findDocument(kysely, organizationId, documentId);
      if (!row) throw notFound('document');
      return { document: presentDocument(row), stream: createReadStream(fileOf(row.storage_key)) };
    },
  };
}

export type DocumentService = ReturnType<typeof createDocumentService>;
