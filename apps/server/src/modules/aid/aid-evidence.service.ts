import type { AidEvidenceFile } from '@qiao/contracts';
import type { Selectable } from 'kysely';
import { nowIso } from '../../db/database.js';
import type { AidEvidenceTable } from '../../db/schema.js';
import { recordAudit } from '../../platform/audit/audit-log.js';
import type { Deps } from '../../platform/deps.js';
import { notFound } from '../../platform/errors.js';
import { safeFileName, type DocumentContentType } from '../../platform/files/content-type.js';
import { checkStagedFile, createFileStore } from '../../platform/files/file-store.js';
import type { ReadUpload } from '../../platform/files/multipart-upload.js';
import { auditContext, type RequestContext } from '../../platform/scope.js';
import type { AidService } from './aid.service.js';

/** The evidence cap whatever QIAO_MAX_UPLOAD_MB says: scans of certificates, not archives. */
export const EVIDENCE_MAX_BYTES = 10 * 1024 * 1024;

function present(r: Selectable<AidEvidenceTable>): AidEvidenceFile {
  return {
    id: r.id,
    applicationId: r.application_id,
    fileName: r.file_name,
    contentType: r.content_type as DocumentContentType,
    size: r.size,
    sha256: r.sha256,
    uploadedBy: r.uploaded_by_name,
    createdAt: r.created_at,
  };
}

/**
 * Scanned evidence of an aid application (certificates, diagnoses, bills): stored like organization
 * documents (platform/files: typed by content, outside the web root) under QIAO_DATA_DIR/aid-evidence,
 * listed and downloaded only by those who see the application. Uploads and downloads are audited:
 * medical and income papers are sensitive. Files are never replaced or removed through the API.
 */
export function createAidEvidenceService({ db, config }: Deps, aid: AidService) {
  const kysely = db.kysely;
  const files = createFileStore(config.dataDir, 'aid-evidence');

  const evidenceEvent = (
    ctx: RequestContext,
    app: { id: number; jurisdiction_id: number; jurisdiction_path: string },
  ) => ({
    entityType: 'aid_application' as const,
    entityId: app.id,
    jurisdiction: { id: app.jurisdiction_id, path: app.jurisdiction_path },
    actor: auditContext(ctx),
  });

  return {
    maxBytes: Math.min(config.maxUploadBytes, EVIDENCE_MAX_BYTES),
    files,

    /** 404 before the body is read unless the caller sees the application. */
    async checkUploadable(ctx: RequestContext, applicationId: number): Promise<void> {
      await aid.loadInScope(ctx, applicationId);
    },

    /** Records a staged file as evidence, or discards it and answers why not (422 fields, 415 content). */
    async attach(ctx: RequestContext, applicationId: number, upload: ReadUpload): Promise<AidEvidenceFile> {
      const { staged } = upload;
      try {
        const app = await aid.loadInScope(ctx, applicationId);
        // Only the file: any other field is a client mistake, named rather than silently dropped.
        const errors = Object.keys(upload.fields).map((field) => ({
          field,
          code: 'unrecognized',
          message: 'only the field file is accepted',
        }));
        const contentType = checkStagedFile(staged, errors);
        const id = await kysely.transaction().execute(async (trx) => {
          const ev = evidenceEvent(ctx, app);
          const { id } = await trx
            .insertInto('aid_evidence')
            .values({
              application_id: app.id,
              storage_key: staged!.storageKey,
              file_name: safeFileName(upload.fileName, contentType),
              content_type: contentType,
              size: staged!.size,
              sha256: staged!.sha256,
              uploaded_by_id: ev.actor.actorId,
              uploaded_by_name: ev.actor.actorName,
              created_at: nowIso(),
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          await recordAudit(trx, ev.actor, {
            action: 'aid.evidence_upload',
            entityType: ev.entityType,
            entityId: ev.entityId,
            jurisdiction: ev.jurisdiction,
            details: { evidenceId: id, contentType, size: staged!.size, sha256: staged!.sha256 },
          });
          return id;
        });
        const row = await kysely.selectFrom('aid_evidence').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
        return present(row);
      } catch (e) {
        await files.discard(staged);
        throw e;
      }
    },

    async list(ctx: RequestContext, applicationId: number): Promise<AidEvidenceFile[]> {
      const app = await aid.loadInScope(ctx, applicationId);
      const rows = await kysely
        .selectFrom('aid_evidence')
        .selectAll()
        .where('application_id', '=', app.id)
        .orderBy('id', 'desc')
        .limit(200)
        .execute();
      return rows.map(present);
    },

    /** The file and a stream of its bytes, to those who see the application; the download is audited. */
    async open(ctx: RequestContext, applicationId: number, evidenceId: number) {
      const app = await aid.loadInScope(ctx, applicationId);
      const row = await kysely
        .selectFrom('aid_evidence')
        .selectAll()
        .where('application_id', '=', app.id)
        .where('id', '=', evidenceId)
        .executeTakeFirst();
      if (!row) throw notFound('evidence file');
      await kysely.transaction().execute(async (trx) => {
        const ev = evidenceEvent(ctx, app);
        await recordAudit(trx, ev.actor, {
          action: 'aid.evidence_download',
          entityType: ev.entityType,
          entityId: ev.entityId,
          jurisdiction: ev.jurisdiction,
          details: { evidenceId: row.id, sha256: row.sha256 },
        });
      });
      return { file: present(row), stream: files.open(row.storage_key) };
    },
  };
}

export type AidEvidenceService = ReturnType<typeof createAidEvidenceService>;
