import nodemailer from 'nodemailer';
import type { Kysely } from 'kysely';
import { maskPhone, type NotificationChannel } from '@qiao/contracts';
import type { Database } from '../../db/schema.js';
import type { Clock } from '../../platform/jobs.js';

/** Sends one message on one channel; throws when the channel refuses it (the outbox retries). */
export interface ChannelSender {
  send(message: { recipient: string; subject: string; body: string }): Promise<void>;
}

/** The SMS adapter a deployment plugs its provider into. */
export type SmsSender = ChannelSender;

interface Logger {
  info(obj: object, msg: string): void;
}

/** The default SMS adapter: writes the message to the log (number masked) instead of sending it. */
export function logSmsSender(log: Logger): SmsSender {
  return {
    async send({ recipient, body }) {
      log.info({ channel: 'sms', to: maskPhone(recipient), text: body }, 'SMS (log adapter: not sent)');
    },
  };
}

/** Email over SMTP with nodemailer; `smtpUrl` is smtp(s)://user:pass@host:port. */
export function smtpEmailSender(smtpUrl: string, from: string): ChannelSender {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send({ recipient, subject, body }) {
      await transport.sendMail({ from, to: recipient, subject, text: body });
    },
  };
}

export type Senders = Partial<Record<NotificationChannel, ChannelSender>>;

export const MAX_ATTEMPTS = 10;
const BASE_BACKOFF_MS = 60_000;
const MAX_BACKOFF_MS = 6 * 60 * 60 * 1000;
/** While a send is in flight its row is pushed this far ahead, so a crash mid-send retries later. */
const IN_FLIGHT_MS = 5 * 60_000;
const BATCH = 50;

/** Wait before attempt n+1 after n failures: 1, 2, 4 … minutes, at most 6 hours. */
export function backoffMs(failures: number): number {
  return Math.min(BASE_BACKOFF_MS * 2 ** Math.max(0, failures - 1), MAX_BACKOFF_MS);
}

/**
 * Sends what is due in the outbox. Each row is claimed with a conditional update (attempts as
 * the version), sent, then marked sent — or rescheduled with backoff and its error, and given up
 * as `failed` after MAX_ATTEMPTS. Rows are never deleted: nothing is lost silently.
 */
export async function deliverOutbox(
  db: Kysely<Database>,
  senders: Senders,
  clock: Clock,
): Promise<{ sent: number; retried: number; failed: number }> {
  const counts = { sent: 0, retried: 0, failed: 0 };
  const due = await db
    .selectFrom('notification_outbox')
    .select(['id', 'channel', 'recipient', 'subject', 'body', 'attempts'])
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', clock().toISOString())
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(BATCH)
    .execute();
  for (const row of due) {
    const attempt = row.attempts + 1;
    const claimed = await db
      .updateTable('notification_outbox')
      .set({ attempts: attempt, next_attempt_at: new Date(clock().getTime() + IN_FLIGHT_MS).toISOString() })
      .where('id', '=', row.id)
      .where('status', '=', 'pending')
      .where('attempts', '=', row.attempts)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) continue;
    try {
      const sender = senders[row.channel];
      if (!sender) throw new Error(`no ${row.channel} channel is configured`);
      await sender.send(row);
      await db
        .updateTable('notification_outbox')
        .set({ status: 'sent', sent_at: clock().toISOString(), last_error: null })
        .where('id', '=', row.id)
        .execute();
      counts.sent += 1;
    } catch (err) {
      const message = (err instanceof Error ? err.message : String(err)).slice(0, 1000);
      const giveUp = attempt >= MAX_ATTEMPTS;
      await db
        .updateTable('notification_outbox')
        .set({
          status: giveUp ? 'failed' : 'pending',
          last_error: message,
          next_attempt_at: new Date(clock().getTime() + backoffMs(attempt)).toISOString(),
        })
        .where('id', '=', row.id)
        .execute();
      if (giveUp) counts.failed += 1;
      else counts.retried += 1;
    }
  }
  return counts;
}
