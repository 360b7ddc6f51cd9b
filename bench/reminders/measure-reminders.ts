/**
 * Times the daily re-verification reminder run on a city with many households, beside a raw
 * baseline measured in the same run on the same database:
 *
 *   npx tsx bench/reminders/measure-reminders.ts --households 100000 --due 5000   # SQLite file in bench/.data
 *   QIAO_BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/reminders/measure-reminders.ts
 *
 * - reminder run: the job (select due households, then per household one transaction: claim,
 *   recipients lookup, one inbox row per recipient, audit event) vs the raw floor of the same work:
 *   the same select, then per household one transaction with a plain update and one insert per recipient.
 * - idle run: the same job right after, with every due household already reminded (the daily cost
 *   on most days).
 */
import { parseArgs } from 'node:util';
import { shanghaiToday, addDays } from '../../apps/server/src/modules/households/household-rules.js';
import { createReverifyReminders } from '../../apps/server/src/modules/households/reverify-reminders.js';
import { withModuleBench } from '../module-db.js';

const { values } = parseArgs({
  options: { households: { type: 'string', default: '100000' }, due: { type: 'string', default: '5000' } },
});
const total = Number(values.households);
const due = Number(values.due);

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

await withModuleBench('reminders', async ({ db, deps, subdistricts }) => {
  const k = db.kysely;
  const now = new Date().toISOString();
  const users = [];
  for (const s of subdistricts)
    for (const n of [1, 2])
      users.push({
        username: `staff-${s.id}-${n}`,
        username_key: `staff-${s.id}-${n}`,
        display_name: `员工${s.id}-${n}`,
        password_hash: 'x',
        role: 'center_staff',
        jurisdiction_id: s.id,
        department_id: null,
        status: 'active' as const,
        failed_logins: 0,
        locked_until: null,
        totp_secret: null,
        totp_pending_secret: null,
        totp_enabled: 0,
        totp_last_step: null,
        elderly_mode: 0,
        locale: 'zh-CN' as const,
        organization_id: null,
        password_changed_at: now,
        last_login_at: null,
        created_at: now,
        updated_at: now,
      });
  await k.insertInto('users').values(users).execute();

  const today = shanghaiToday();
  const soon = addDays(today, 10);
  const far = addDays(today, 200);
  const every = Math.max(1, Math.floor(total / due));
  const started = process.hrtime.bigint();
  const BATCH = 500;
  for (let i = 0; i < total; i += BATCH) {
    const rows = [];
    for (let j = i; j < Math.min(total, i + BATCH); j++) {
      const s = subdistricts[j % subdistricts.length]!;
      const isDue = j % every === 0 && j / every < due;
      rows.push({
        jurisdiction_id: s.id,
        jurisdiction_path: s.path,
        head_name: `户主${j}`,
        id_sealed: 'x',
        id_masked: '1101**********0000',
        id_index: `bench-${j}`,
        phone_sealed: null,
        phone_masked: null,
        phone_index: null,
        category: 'low_income',
        address: null,
        card_number: `B${String(j).padStart(9, '0')}`,
        verified_at: now,
        verified_by_id: null,
        verified_by_name: 'bench',
        verification_note: null,
        valid_until: isDue ? soon : far,
        consent_data_use: 1,
        consent_sharing: 0,
        consent_on: today,
        consent_scope: 'bench',
        version: 1,
        created_at: now,
        updated_at: now,
      });
    }
    await k.insertInto('households').values(rows).execute();
  }
  console.log(`${db.engine}: ${total} households (${due} due) generated in ${(ms(started) / 1000).toFixed(1)} s`);

  // The raw floor first: the same select, then per household one transaction with a plain
  // update and one inbox row per center staff; then undone so the job finds the same work.
  const byJurisdiction = new Map<number, number[]>();
  for (const u of await k
    .selectFrom('users')
    .select(['id', 'jurisdiction_id'])
    .where('role', '=', 'center_staff')
    .execute())
    byJurisdiction.set(u.jurisdiction_id, [...(byJurisdiction.get(u.jurisdiction_id) ?? []), u.id]);
  const until = addDays(today, 30);
  let t = process.hrtime.bigint();
  const rows = await k
    .selectFrom('households')
    .select(['id', 'jurisdiction_id', 'jurisdiction_path', 'valid_until'])
    .where('valid_until', 'is not', null)
    .where('valid_until', '<=', until)
    .where((eb) =>
      eb.or([eb('reverify_reminded_for', 'is', null), eb('reverify_reminded_for', '!=', eb.ref('valid_until'))]),
    )
    .orderBy('id')
    .execute();
  for (const h of rows) {
    await k.transaction().execute(async (trx) => {
      await trx
        .updateTable('households')
        .set({ reverify_reminded_for: h.valid_until })
        .where('id', '=', h.id)
        .execute();
      await trx
        .insertInto('notifications')
        .values(
          (byJurisdiction.get(h.jurisdiction_id) ?? []).map((user_id) => ({
            user_id,
            kind: 'household.reverify_due',
            title: 'x',
            body: null,
            params: '{}',
            link: null,
            jurisdiction_id: h.jurisdiction_id,
            jurisdiction_path: h.jurisdiction_path,
            created_at: now,
          })),
        )
        .execute();
    });
  }
  const baseline = ms(t);
  await k.deleteFrom('notifications').execute();
  await k.updateTable('households').set({ reverify_reminded_for: null }).execute();

  const reminders = createReverifyReminders(deps);
  t = process.hrtime.bigint();
  const run = await reminders.run();
  const app = ms(t);
  console.log(
    `reminder run: ${run.reminded} reminded in ${app.toFixed(0)} ms (${(app / Math.max(1, run.reminded)).toFixed(2)} ms/household); ` +
      `raw floor (select + update + inserts per household) ${baseline.toFixed(0)} ms (${(baseline / Math.max(1, rows.length)).toFixed(2)} ms/household); ratio ${(app / baseline).toFixed(2)}`,
  );

  t = process.hrtime.bigint();
  const idle = await reminders.run();
  const idleMs = ms(t);
  t = process.hrtime.bigint();
  await k
    .selectFrom('households')
    .select('id')
    .where('valid_until', 'is not', null)
    .where('valid_until', '<=', until)
    .where((eb) =>
      eb.or([eb('reverify_reminded_for', 'is', null), eb('reverify_reminded_for', '!=', eb.ref('valid_until'))]),
    )
    .execute();
  const idleBase = ms(t);
  console.log(
    `idle run (all reminded): ${idle.reminded} reminded in ${idleMs.toFixed(1)} ms; raw due select ${idleBase.toFixed(1)} ms`,
  );
});
