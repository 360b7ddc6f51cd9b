import { recordAudit } from '../../platform/audit/audit-log.js';
import type { Deps } from '../../platform/deps.js';
import { systemClock } from '../../platform/jobs.js';
import { auditContext, systemActor } from '../../platform/scope.js';
import { notifyFirstReached, type NotificationAudience } from '../notifications/notify.js';
import { addDays, shanghaiToday } from './household-rules.js';
import * as q from './households.queries.js';

const BATCH = 200;

const chainRole = (a: NotificationAudience | undefined) => (a && 'roles' in a ? (a.roles[0] ?? null) : null);

/** Rolled back: nobody at any level could be told, so the household stays due for the next run. */
class NobodyToTell extends Error {}

/**
 * The daily re-verification reminders: every verified household whose verification ends within the
 * settings' notice window (or already has) is announced to the center staff of its subdistrict —
 * or, when the center has nobody in post, to the district's officers, else the city's administrators.
 *
 * Once per household per verification period: the household row keeps the `valid_until` it was
 * reminded of, claimed by a conditional UPDATE in the same transaction as the notification, so a
 * rerun, a crash or a second process never tells twice; verifying again opens a new period.
 */
export function createReverifyReminders(deps: Deps) {
  const kysely = deps.db.kysely;
  const clock = deps.clock ?? systemClock;

  return {
    async run(): Promise<{ reminded: number; unheard: number; until: string }> {
      const settings = await q.getSettings(kysely);
      const until = addDays(shanghaiToday(clock()), settings.reverify_notice_days);
      const city = await kysely
        .selectFrom('jurisdictions')
        .select(['id', 'path'])
        .where('parent_id', 'is', null)
        .executeTakeFirstOrThrow();
      const ctx = { actor: systemActor(city, 'reverify-reminders'), requestId: null, ip: null };
      let reminded = 0;
      let unheard = 0;
      let afterId = 0;
      for (;;) {
        const due = await kysely
          .selectFrom('households as h')
          .innerJoin('jurisdictions as j', 'j.id', 'h.jurisdiction_id')
          .select([
            'h.id',
            'h.jurisdiction_id',
            'h.jurisdiction_path',
            'h.valid_until',
            'h.card_number',
            'j.parent_id',
            'j.name',
          ])
          .where('h.valid_until', 'is not', null)
          .where('h.valid_until', '<=', until)
          .where((eb) =>
            eb.or([
              eb('h.reverify_reminded_for', 'is', null),
              eb('h.reverify_reminded_for', '!=', eb.ref('h.valid_until')),
            ]),
          )
          .where('h.id', '>', afterId)
          .orderBy('h.id')
          .limit(BATCH)
          .execute();
        for (const h of due) {
          const validUntil = h.valid_until!;
          const chain: NotificationAudience[] = [
            { jurisdictionId: h.jurisdiction_id, roles: ['center_staff'] },
            ...(h.parent_id ? [{ jurisdictionId: h.parent_id, roles: ['district_officer'] } as const] : []),
            { jurisdictionId: city.id, roles: ['city_admin'] },
          ];
          try {
            const told = await kysely.transaction().execute(async (trx) => {
              const claimed = await trx
                .updateTable('households')
                .set({ reverify_reminded_for: validUntil })
                .where('id', '=', h.id)
                .where('valid_until', '=', validUntil)
                .where((eb) =>
                  eb.or([eb('reverify_reminded_for', 'is', null), eb('reverify_reminded_for', '!=', validUntil)]),
                )
                .executeTakeFirst();
              // Verified again meanwhile, or another process got there first.
              if (Number(claimed.numUpdatedRows) !== 1) return false;
              const about = { id: h.jurisdiction_id, path: h.jurisdiction_path };
              const { recipients, reached } = await notifyFirstReached(trx, chain, {
                about,
                kind: 'household.reverify_due',
                // No name or ID number: the title is also the email subject.
                title: `${h.name}困难家庭 #${h.id} 核实有效期至 ${validUntil}，请重新核实`,
                params: { householdId: h.id, validUntil, jurisdiction: h.name, cardNumber: h.card_number },
                link: `/households/${h.id}`,
              });
              if (!recipients.length) throw new NobodyToTell();
              await recordAudit(trx, auditContext(ctx), {
                action: 'household.reverify_reminder',
                entityType: 'household',
                entityId: h.id,
                jurisdiction: about,
                details: { validUntil, recipients: recipients.length, toldRole: chainRole(chain[reached]) },
              });
              return true;
            });
            if (told) reminded += 1;
          } catch (err) {
            if (!(err instanceof NobodyToTell)) throw err;
            unheard += 1;
          }
        }
        if (due.length < BATCH) break;
        afterId = due[due.length - 1]!.id;
      }
      return { reminded, unheard, until };
    },
  };
}
