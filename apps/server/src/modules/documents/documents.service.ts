import { documentTypes, type DocumentType, type FieldError, type OrganizationDocument } from '@qiao/contracts';
import { nowIso } from '../../db/database.js';
import type { DocumentRow } from '../../db/schema.js';
import { recordAudit } from '../../platform/audit/audit-log.js';
import type { Deps } from '../../platform/deps.js';
import { notFound } from '../../platform/errors.js';
import { type DocumentContentType, safeFileName } from '../../platform/files/content-type.js';
import { checkStagedFile, createFileStore, type StagedFile } from '../../platform/files/file-store.js';
import { auditContext, type RequestContext } from '../../platform/scope.js';
import type { OrganizationService } from '../organizations/organizations.service.js';
import * as q from './documents.queries.js';

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
  const files = createFileStore(config.dataDir, 'documents');

  return {
    maxBytes: config.maxUploadBytes,
    files,

    /** 404 unless the caller may attach documents to this organization: staff in scope, or its own officer. */
    async checkUploadable(ctx: RequestContext, organizationId: number): Promise<void> {
      await organizations.getVisible(ctx, organizationId);
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
        const contentType = checkStagedFile(staged, errors);
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
        await files.discard(staged);
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
      return { document: presentDocument(row), stream: files.open(row.storage_key) };
    },
  };
}

export type DocumentService = ReturnType<typeof createDocumentService>;
