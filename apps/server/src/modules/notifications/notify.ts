import type { Transaction } from 'kysely';
import type { NotificationChannel, Role } from '@qiao/contracts';
import { nowIso } from '../../db/database.js';
import type { Database } from '../../db/schema.js';

/**
 * Who receives a notification:
 * - `{ jurisdictionId, roles }`: active users of those roles placed at exactly that jurisdiction
 *   (the center staff of a subdistrict, the district officers of a district);
 * - `{ departmentId }`: the active officers of one government department;
 * - `{ userIds }`: named users (a case's reporter).
 */
export type NotificationAudience =
  { jurisdictionId: number; roles: readonly Role[] } | { departmentId: number } | { userIds: readonly number[] };

export interface NotifyInput {
  audience: NotificationAudience;
  /** A stable kind (`case.escalated`, `risk.alert`); the web translates known kinds with `params`. */
  kind: string;
  /** Plain text shown for an unknown kind and used as the email subject and SMS text. */
  title: string;
  body?: string;
  params?: Record<string, string | number | null>;
  /** An app path such as `/cases/12` (never an absolute URL). */
  link?: string;
  /**
   * The jurisdiction the notification is about. Only recipients whose scope contains it receive it,
   * whatever the audience says. Defaults to the audience's jurisdiction.
   */
  about?: { id: number; path: string };
  /** Channels beyond the inbox, for users who switched them on. Default: email. */
  channels?: readonly NotificationChannel[];
  /** Users who should not be told (usually the actor who caused it). */
  exceptUserIds?: readonly number[];
}

const SMS_MAX = 70;

/**
 * Writes one inbox row per recipient and queues their email/SMS, inside the caller's transaction:
 * the notification exists exactly when the change that caused it does. Answers the recipients' ids.
 */
export async function notify(trx: Transaction<Database>, input: NotifyInput): Promise<number[]> {
  if (input.link !== undefined && !/^\/(?!\/)[\w\-./?=&%]*$/.test(input.link))
    throw new Error(`notify: link must be an app path, not ${input.link}`);
  const about = input.about ?? (await audienceJurisdiction(trx, input.audience));

  let q = trx
    .selectFrom('users as u')
    .innerJoin('jurisdictions as j', 'j.id', 'u.jurisdiction_id')
    .leftJoin('notification_contacts as c', 'c.user_id', 'u.id')
    .select([
      'u.id',
      'j.path',
      'c.email_sealed',
      'c.email_masked',
      'c.phone_sealed',
      'c.phone_masked',
      'c.email_enabled',
      'c.sms_enabled',
    ])
    .where('u.status', '=', 'active');
  const a = input.audience;
  if ('userIds' in a) {
    if (a.userIds.length === 0) return [];
    q = q.where('u.id', 'in', [...a.userIds]);
  } else if ('departmentId' in a) {
    q = q.where('u.department_id', '=', a.departmentId).where('u.role', '=', 'department_officer');
  } else {
    if (a.roles.length === 0) return [];
    q = q.where('u.jurisdiction_id', '=', a.jurisdictionId).where('u.role', 'in', [...a.roles]);
  }
  const except = new Set(input.exceptUserIds ?? []);
  // The scope check: a user sees exactly the jurisdictions under its own, so it hears only of those.
  const recipients = (await q.execute()).filter((r) => !except.has(r.id) && about.path.startsWith(r.path));
  if (recipients.length === 0) return [];

  const now = nowIso();
  const params = JSON.stringify(input.params ?? {});
  const channels = new Set(input.channels ?? ['email']);
  for (const r of recipients) {
    const { id } = await trx
      .insertInto('notifications')
      .values({
        user_id: r.id,
        kind: input.kind,
        title: input.title,
        body: input.body ?? null,
        params,
        link: input.link ?? null,
        jurisdiction_id: about.id,
        jurisdiction_path: about.path,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const outbox = [];
    // Addresses stay sealed: the outbox copies the sealed value; only the delivery worker opens it.
    if (channels.has('email') && r.email_enabled && r.email_sealed)
      outbox.push({
        channel: 'email' as const,
        recipient_sealed: r.email_sealed,
        recipient_masked: r.email_masked ?? '',
        subject: input.title,
        body: [input.title, input.body, input.link].filter(Boolean).join('\n\n'),
      });
    if (channels.has('sms') && r.sms_enabled && r.phone_sealed)
      outbox.push({
        channel: 'sms' as const,
        recipient_sealed: r.phone_sealed,
        recipient_masked: r.phone_masked ?? '',
        subject: input.title,
        body: [...input.title].slice(0, SMS_MAX).join(''),
      });
    if (outbox.length)
      await trx
        .insertInto('notification_outbox')
        .values(
          outbox.map((o) => ({
            ...o,
            notification_id: id,
            status: 'pending' as const,
            attempts: 0,
            next_attempt_at: now,
            created_at: now,
          })),
        )
        .execute();
  }
  return recipients.map((r) => r.id);
}

/**
 * Notifies the first audience of `chain` that has anyone to tell — a district's officers, else the
 * city's administrators — so nothing goes unheard because one level has nobody in post. Answers the
 * recipients and the index of the audience reached (-1 when none had anyone).
 */
export async function notifyFirstReached(
  trx: Transaction<Database>,
  chain: readonly NotificationAudience[],
  input: Omit<NotifyInput, 'audience'>,
): Promise<{ recipients: number[]; reached: number }> {
  for (const [i, audience] of chain.entries()) {
    const recipients = await notify(trx, { ...input, audience });
    if (recipients.length) return { recipients, reached: i };
  }
  return { recipients: [], reached: -1 };
}

async function audienceJurisdiction(trx: Transaction<Database>, audience: NotificationAudience) {
  if (!('jurisdictionId' in audience))
    throw new Error('notify: `about` is required unless the audience is a jurisdiction');
  return trx
    .selectFrom('jurisdictions')
    .select(['id', 'path'])
    .where('id', '=', audience.jurisdictionId)
    .executeTakeFirstOrThrow();
}
