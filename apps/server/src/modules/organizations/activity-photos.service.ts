import type { Selectable } from 'kysely';
import { MAX_ACTIVITY_PHOTOS, type ActivityPhoto, type FieldError } from '@qiao/contracts';
import { nowIso, type Executor } from '../../db/database.js';
import type { ActivityPhotoTable, OrganizationRow } from '../../db/schema.js';
import { recordAudit } from '../../platform/audit/audit-log.js';
import type { Deps } from '../../platform/deps.js';
import { DomainError, invalidFields, notFound } from '../../platform/errors.js';
import { createFileStore, type StagedFile } from '../../platform/files/file-store.js';
import { auditContext, type RequestContext } from '../../platform/scope.js';
import { safeFileName, sniffContentType } from '../../platform/files/content-type.js';
import type { OrganizationService } from './organizations.service.js';

type PhotoRow = Selectable<ActivityPhotoTable>;
type PhotoType = ActivityPhoto['contentType'];

/**
 * What a photo upload really is, from its first bytes: a JPEG, or a PNG whose first chunk is its
 * header (width and height read from it); anything else, PDF included, is null.
 */
export function photoType(head: Buffer): { type: PhotoType; width: number | null; height: number | null } | null {
  const type = sniffContentType(head);
  if (type === 'image/jpeg') return { type, width: null, height: null };
  if (type !== 'image/png' || head.length < 24 || head.toString('latin1', 12, 16) !== 'IHDR') return null;
  const width = head.readUInt32BE(16);
  const height = head.readUInt32BE(20);
  return width > 0 && height > 0 ? { type, width, height } : null;
}

export function presentPhoto(r: PhotoRow): ActivityPhoto {
  return {
    id: r.id,
    activityId: r.activity_id,
    contentType: r.content_type as PhotoType,
    fileName: r.file_name,
    size: r.size,
    width: r.width,
    height: r.height,
    uploadedBy: r.uploaded_by_name,
    createdAt: r.created_at,
  };
}

/** The photos of `activityIds`, oldest first, grouped by activity. */
export async function photosByActivity(db: Executor, activityIds: number[]): Promise<Map<number, ActivityPhoto[]>> {
  const byActivity = new Map<number, ActivityPhoto[]>();
  if (activityIds.length === 0) return byActivity;
  const rows = await db
    .selectFrom('activity_photos')
    .selectAll()
    .where('activity_id', 'in', activityIds)
    .orderBy('id')
    .execute();
  for (const r of rows) {
    const list = byActivity.get(r.activity_id) ?? [];
    list.push(presentPhoto(r));
    byActivity.set(r.activity_id, list);
  }
  return byActivity;
}

/**
 * Photos of activities: files under QIAO_DATA_DIR/activity-photos/<random id> (outside the web
 * root), typed by their content, served inline only to those who may see the organization; adding
 * one and a staff member's deleting one are audited.
 */
export function createActivityPhotoService({ db, config }: Deps, organizations: OrganizationService) {
  const kysely = db.kysely;
  const store = createFileStore(config.dataDir, 'activity-photos');

  /** The organization and the activity, or 404 for either when out of scope or not its own. */
  async function activityOf(ctx: RequestContext, organizationId: number, activityId: number) {
    const org = await organizations.getVisible(ctx, organizationId);
    const activity = await kysely
      .selectFrom('activities')
      .select(['id', 'title'])
      .where('id', '=', activityId)
      .where('organization_id', '=', org.id)
      .executeTakeFirst();
    if (!activity) throw notFound('activity');
    return { org, activity };
  }

  async function photoOf(ctx: RequestContext, organizationId: number, activityId: number, photoId: number) {
    const { org } = await activityOf(ctx, organizationId, activityId);
    const photo = await kysely
      .selectFrom('activity_photos')
      .selectAll()
      .where('id', '=', photoId)
      .where('activity_id', '=', activityId)
      .executeTakeFirst();
    if (!photo) throw notFound('photo');
    return { org, photo };
  }

  const jurisdiction = (org: OrganizationRow) => ({ id: org.jurisdiction_id, path: org.jurisdiction_path });

  return {
    maxBytes: config.maxUploadBytes,

    /** 404 before the body is read unless the activity is one the caller may add photos to. */
    async checkPhotoTarget(ctx: RequestContext, organizationId: number, activityId: number): Promise<void> {
      await activityOf(ctx, organizationId, activityId);
    },

    /** Where photos are staged and kept (the routes stream uploads into it). */
    files: store,

    /** Records a staged photo, or removes it and answers why not (422 fields, 415 content, 409 state). */
    async addActivityPhoto(
      ctx: RequestContext,
      organizationId: number,
      activityId: number,
      upload: { fileName: string | undefined; staged: StagedFile | null },
    ): Promise<ActivityPhoto> {
      const { staged } = upload;
      try {
        const { org } = await activityOf(ctx, organizationId, activityId);
        if (org.status === 'deregistered' || org.status === 'rejected')
          throw new DomainError('conflict', 'A deregistered or rejected organization’s activities take no photos.');
        const errors: FieldError[] = [];
        if (!staged) errors.push({ field: 'file', code: 'required', message: 'attach a photo' });
        else if (staged.size === 0) errors.push({ field: 'file', code: 'empty', message: 'the file is empty' });
        if (errors.length) throw invalidFields(errors);
        const kind = photoType(staged!.head);
        if (!kind)
          throw new DomainError('unsupported_media_type', 'Upload a JPEG or PNG photo (checked by its content).');
        const id = await kysely.transaction().execute(async (trx) => {
          const { n } = await trx
            .selectFrom('activity_photos')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('activity_id', '=', activityId)
            .executeTakeFirstOrThrow();
          if (Number(n) >= MAX_ACTIVITY_PHOTOS)
            throw invalidFields([
              { field: 'file', code: 'too_many', message: `an activity keeps at most ${MAX_ACTIVITY_PHOTOS} photos` },
            ]);
          const audit = auditContext(ctx);
          const { id } = await trx
            .insertInto('activity_photos')
            .values({
              activity_id: activityId,
              organization_id: org.id,
              storage_key: staged!.storageKey,
              content_type: kind.type,
              file_name: safeFileName(upload.fileName, kind.type).replace(/^document\./, 'photo.'),
              size: staged!.size,
              sha256: staged!.sha256,
              width: kind.width,
              height: kind.height,
              uploaded_by_id: audit.actorId,
              uploaded_by_name: audit.actorName,
              created_at: nowIso(),
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          await recordAudit(trx, audit, {
            action: 'activity.photo_add',
            entityType: 'activity_photo',
            entityId: id,
            jurisdiction: jurisdiction(org),
            details: { organizationId: org.id, activityId, size: staged!.size, sha256: staged!.sha256 },
          });
          return id;
        });
        const row = await kysely
          .selectFrom('activity_photos')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        return presentPhoto(row);
      } catch (e) {
        await store.discard(staged);
        throw e;
      }
    },

    /** The photo and a stream of its bytes, to those who may see the organization. */
    async openActivityPhoto(ctx: RequestContext, organizationId: number, activityId: number, photoId: number) {
      const { photo } = await photoOf(ctx, organizationId, activityId, photoId);
      return { photo: presentPhoto(photo), stream: store.open(photo.storage_key) };
    },

    /** Removes a photo (staff): the row and its audit event in one transaction, then the file. */
    async deleteActivityPhoto(
      ctx: RequestContext,
      organizationId: number,
      activityId: number,
      photoId: number,
    ): Promise<void> {
      const { org, photo } = await photoOf(ctx, organizationId, activityId, photoId);
      await kysely.transaction().execute(async (trx) => {
        const gone = await trx.deleteFrom('activity_photos').where('id', '=', photo.id).executeTakeFirst();
        if (Number(gone.numDeletedRows) !== 1) throw notFound('photo');
        await recordAudit(trx, auditContext(ctx), {
          action: 'activity.photo_delete',
          entityType: 'activity_photo',
          entityId: photo.id,
          jurisdiction: jurisdiction(org),
          details: { organizationId: org.id, activityId, fileName: photo.file_name, sha256: photo.sha256 },
        });
      });
      await store.remove(photo.storage_key);
    },
  };
}

export type ActivityPhotoService = ReturnType<typeof createActivityPhotoService>;
