import type { z } from 'zod';
import type { activity, recordActivityBody } from '@qiao/contracts';
import { nowIso } from '../../db/database.js';
import type { ActivityTable } from '../../db/schema.js';
import type { Selectable } from 'kysely';
import { diffChanges, recordAudit } from '../../platform/audit/audit-log.js';
import { shanghaiToday } from '../../platform/calendar.js';
import type { Deps } from '../../platform/deps.js';
import { DomainError, invalidFields } from '../../platform/errors.js';
import { checkServiceFields } from '../service-fields/service-fields.service.js';
import { auditContext, type RequestContext } from '../../platform/scope.js';
import type { OrganizationService } from './organizations.service.js';
import { photosByActivity } from './activity-photos.service.js';
import * as q from './organizations.queries.js';

type Activity = z.infer<typeof activity>;

function presentActivity(a: Selectable<ActivityTable>, photos: Activity['photos'] = []): Activity {
  return {
    id: a.id,
    organizationId: a.organization_id,
    occurredOn: a.occurred_on,
    title: a.title,
    field: a.field,
    participants: a.participants,
    beneficiaries: a.beneficiaries,
    description: a.description,
    recordedBy: a.recorded_by_name,
    createdAt: a.created_at,
    photos,
  };
}

/** What an organization does: the subdistrict's view of its activity and the inactivity signal's data. */
export function createActivityService({ db, clock }: Deps, organizations: OrganizationService) {
  const kysely = db.kysely;
  return {
    async listActivities(ctx: RequestContext, organizationId: number): Promise<Activity[]> {
      await organizations.getVisible(ctx, organizationId);
      const rows = await q.listActivities(kysely, organizationId);
      const photos = await photosByActivity(
        kysely,
        rows.map((r) => r.id),
      );
      return rows.map((r) => presentActivity(r, photos.get(r.id)));
    },

    async recordActivity(
      ctx: RequestContext,
      organizationId: number,
      body: z.infer<typeof recordActivityBody>,
    ): Promise<Activity> {
      const org = await organizations.getVisible(ctx, organizationId);
      if (org.status === 'deregistered' || org.status === 'rejected') {
        throw new DomainError('conflict', 'A deregistered or rejected organization records no activities.');
      }
      // Today as the organization lives it: the Shanghai date, not UTC's (a day behind until 08:00).
      if (body.occurredOn > shanghaiToday(clock)) {
        throw new DomainError('validation_failed', 'Some fields are invalid.', {
          errors: [
            {
              field: 'occurredOn',
              code: 'in_future',
              message: 'an activity that has not happened yet cannot be recorded',
            },
          ],
        });
      }
      const fieldErrors = await checkServiceFields(kysely, body.field ? [body.field] : [], 'field', [], true);
      if (fieldErrors.length) throw invalidFields(fieldErrors);
      const id = await kysely.transaction().execute(async (trx) => {
        const audit = auditContext(ctx);
        const { id } = await trx
          .insertInto('activities')
          .values({
            organization_id: organizationId,
            occurred_on: body.occurredOn,
            title: body.title,
            field: body.field ?? null,
            participants: body.participants ?? null,
            beneficiaries: body.beneficiaries ?? null,
            description: body.description ?? null,
            recorded_by_id: audit.actorId,
            recorded_by_name: audit.actorName,
            created_at: nowIso(),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await recordAudit(trx, audit, {
          action: 'activity.record',
          entityType: 'activity',
          entityId: id,
          jurisdiction: { id: org.jurisdiction_id, path: org.jurisdiction_path },
          changes: diffChanges(null, { organizationId, ...body }, [
            'organizationId',
            'occurredOn',
            'title',
            'field',
            'participants',
            'beneficiaries',
          ]),
        });
        return id;
      });
      await organizations.changed(organizationId);
      const row = await kysely.selectFrom('activities').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      return presentActivity(row);
    },
  };
}

export type ActivityService = ReturnType<typeof createActivityService>;
