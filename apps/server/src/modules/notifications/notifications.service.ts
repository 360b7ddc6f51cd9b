import type { Selectable } from 'kysely';
import {
  maskPhone,
  type ListNotificationsQuery,
  type Notification,
  type NotificationContacts,
  type NotificationContactsBody,
} from '@qiao/contracts';
import type { NotificationTable } from '../../db/schema.js';
import { recordAudit } from '../../platform/audit/audit-log.js';
import type { Deps } from '../../platform/deps.js';
import { invalidFields, notFound } from '../../platform/errors.js';
import { systemClock } from '../../platform/jobs.js';
import { auditContext, inSubtree, type RequestContext } from '../../platform/scope.js';
import { deliverOutbox, logSmsSender, smtpEmailSender, type Senders, type SmsSender } from './delivery.js';

function present(r: Selectable<NotificationTable>): Notification {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    body: r.body,
    params: JSON.parse(r.params) as Notification['params'],
    link: r.link,
    jurisdictionId: r.jurisdiction_id,
    readAt: r.read_at,
    createdAt: r.created_at,
  };
}

interface Logger {
  info(obj: object, msg: string): void;
}

/** The caller's inbox, its channels, and the outbox worker. */
export function createNotificationService(deps: Deps, options: { log: Logger; sms?: SmsSender }) {
  const kysely = deps.db.kysely;
  const clock = deps.clock ?? systemClock;
  const senders: Senders = {
    sms: options.sms ?? logSmsSender(options.log),
    ...(deps.config.smtpUrl ? { email: smtpEmailSender(deps.config.smtpUrl, deps.config.mailFrom) } : {}),
  };

  /** Mine, and only about what my scope still covers (a user moved elsewhere stops seeing the old area). */
  function mine(ctx: RequestContext) {
    return kysely
      .selectFrom('notifications')
      .selectAll()
      .where('user_id', '=', ctx.actor.userId)
      .where(inSubtree('jurisdiction_path', ctx.actor.scopePath));
  }

  async function unread(ctx: RequestContext): Promise<number> {
    const row = await kysely
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', ctx.actor.userId)
      .where('read_at', 'is', null)
      .where(inSubtree('jurisdiction_path', ctx.actor.scopePath))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async function contacts(ctx: RequestContext): Promise<NotificationContacts> {
    const row = await kysely
      .selectFrom('notification_contacts')
      .selectAll()
      .where('user_id', '=', ctx.actor.userId)
      .executeTakeFirst();
    return {
      email: row?.email ?? null,
      phone: row?.phone ?? null,
      emailEnabled: Boolean(row?.email_enabled),
      smsEnabled: Boolean(row?.sms_enabled),
      emailAvailable: Boolean(deps.config.smtpUrl),
    };
  }

  return {
    async listMyNotifications(ctx: RequestContext, query: ListNotificationsQuery) {
      let q = mine(ctx)
        .orderBy('id', 'desc')
        .limit(query.limit + 1);
      if (query.unread === 'true') q = q.where('read_at', 'is', null);
      if (query.unread === 'false') q = q.where('read_at', 'is not', null);
      if (query.cursor) q = q.where('id', '<', Number(query.cursor));
      const rows = await q.execute();
      const more = rows.length > query.limit;
      const items = rows.slice(0, query.limit).map(present);
      return { items, nextCursor: more ? String(items[items.length - 1]!.id) : null, unread: await unread(ctx) };
    },

    async countUnreadNotifications(ctx: RequestContext) {
      return { unread: await unread(ctx) };
    },

    async markNotificationRead(ctx: RequestContext, id: number): Promise<Notification> {
      const row = await mine(ctx).where('id', '=', id).executeTakeFirst();
      if (!row) throw notFound('notification');
      if (!row.read_at) {
        await kysely.transaction().execute(async (trx) => {
          await trx
            .updateTable('notifications')
            .set({ read_at: clock().toISOString() })
            .where('id', '=', id)
            .where('read_at', 'is', null)
            .execute();
          await recordAudit(trx, auditContext(ctx), {
            action: 'notification.read',
            entityType: 'notification',
            entityId: id,
          });
        });
      }
      return present((await mine(ctx).where('id', '=', id).executeTakeFirst())!);
    },

    async markAllNotificationsRead(ctx: RequestContext): Promise<{ marked: number }> {
      return kysely.transaction().execute(async (trx) => {
        const result = await trx
          .updateTable('notifications')
          .set({ read_at: clock().toISOString() })
          .where('user_id', '=', ctx.actor.userId)
          .where('read_at', 'is', null)
          .where(inSubtree('jurisdiction_path', ctx.actor.scopePath))
          .executeTakeFirst();
        const marked = Number(result.numUpdatedRows);
        if (marked > 0)
          await recordAudit(trx, auditContext(ctx), {
            action: 'notification.read',
            entityType: 'notification',
            details: { all: true, marked },
          });
        return { marked };
      });
    },

    getMyNotificationContacts: contacts,

    async updateMyNotificationContacts(ctx: RequestContext, body: NotificationContactsBody) {
      if (body.emailEnabled && !deps.config.smtpUrl)
        throw invalidFields([{ field: 'emailEnabled', code: 'unavailable', message: 'no SMTP server is configured' }]);
      const before = await contacts(ctx);
      const now = clock().toISOString();
      const values = {
        email: body.email,
        phone: body.phone,
        email_enabled: body.emailEnabled ? 1 : 0,
        sms_enabled: body.smsEnabled ? 1 : 0,
        updated_at: now,
      };
      await kysely.transaction().execute(async (trx) => {
        await trx
          .insertInto('notification_contacts')
          .values({ user_id: ctx.actor.userId, ...values })
          .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
          .execute();
        const mask = (p: string | null) => (p ? maskPhone(p) : null);
        await recordAudit(trx, auditContext(ctx), {
          action: 'notification.contacts',
          entityType: 'user',
          entityId: ctx.actor.userId,
          changes: [
            { field: 'email', before: before.email, after: body.email },
            { field: 'phone', before: mask(before.phone), after: mask(body.phone) },
            { field: 'emailEnabled', before: before.emailEnabled, after: body.emailEnabled },
            { field: 'smsEnabled', before: before.smsEnabled, after: body.smsEnabled },
          ].filter((c) => c.before !== c.after),
        });
      });
      return contacts(ctx);
    },

    /** The delivery log for operators: recipients' phone numbers masked. */
    async listNotificationOutbox(
      _ctx: RequestContext,
      query: { status?: 'pending' | 'sent' | 'failed'; limit: number },
    ) {
      let q = kysely.selectFrom('notification_outbox').selectAll().orderBy('id', 'desc').limit(query.limit);
      if (query.status) q = q.where('status', '=', query.status);
      const rows = await q.execute();
      return {
        items: rows.map((r) => ({
          id: r.id,
          channel: r.channel,
          recipient: r.channel === 'sms' ? maskPhone(r.recipient) : r.recipient,
          subject: r.subject,
          status: r.status,
          attempts: r.attempts,
          nextAttemptAt: r.next_attempt_at,
          lastError: r.last_error,
          createdAt: r.created_at,
          sentAt: r.sent_at,
        })),
      };
    },

    /** The outbox worker: the scheduled job `deliver-notifications` calls this. */
    deliver: () => deliverOutbox(kysely, senders, clock),
    senders,
  };
}

export type NotificationService = ReturnType<typeof createNotificationService>;
