import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { sql, type Insertable } from 'kysely';
import pg from 'pg';
import type { HouseholdTable } from '../apps/server/src/db/schema.js';
import { loadConfig } from '../apps/server/src/config.js';
import { migrate, openDatabase, type Db } from '../apps/server/src/db/database.js';
import { cardNumberFor } from '../apps/server/src/modules/households/household-rules.js';
import { idNumberColumns, phoneColumns } from '../apps/server/src/modules/households/household-record.js';
import { createHouseholdService } from '../apps/server/src/modules/households/households.service.js';
import { Keyring } from '../apps/server/src/platform/crypto.js';
import { systemActor } from '../apps/server/src/platform/scope.js';
import { firstRun } from '../apps/server/src/setup/first-run.js';
import { benchEnv, createPostgres, createSqlite, type EngineDatabase } from './engines.js';

// Finding a household at the till or the desk (issue 4): by card number, phone, full ID number
// (keyed index) or a fragment of the head's name, at the city's scale of 10^5 households. The app side
// is the households service's listHouseholds (what GET /api/households runs, without HTTP); the
// baseline is the same SQL on the bare driver, the keyed digest computed in the loop too. One
// caller at a time: the latency of a lookup itself. Run: npx tsx bench/households.ts [--households N].

const args = parseArgs({
  options: {
    households: { type: 'string', default: '100000' },
    lookups: { type: 'string', default: '2000' },
    engine: { type: 'string', multiple: true },
  },
}).values;
const HOUSEHOLDS = Number(args.households);
const LOOKUPS = Number(args.lookups);
const SUBDISTRICTS = 50;

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈';
const GIVEN = '桂英秀兰建国志强丽娟海燕国华玉珍德明红梅淑芬永刚春花文博小红立新金凤宝林';

function idNumber(n: number): string {
  const birth = `19${String(30 + (n % 60)).padStart(2, '0')}${String((n % 12) + 1).padStart(2, '0')}${String((n % 28) + 1).padStart(2, '0')}`;
  const body = `310${String(100 + (Math.floor(n / 1000) % 900))}${birth}${String(n % 1000).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  return body + '10X98765432'[weights.reduce((s, w, i) => s + w * Number(body[i]), 0) % 11];
}
const phone = (n: number) => `139${String(n).padStart(8, '0')}`;
const nameOf = (n: number) =>
  SURNAMES[n % SURNAMES.length]! + GIVEN[(n * 7) % GIVEN.length]! + GIVEN[(n * 13 + 1) % GIVEN.length]!;

async function seed(db: Db, keyring: Keyring): Promise<{ root: { id: number; path: string }; firstId: number }> {
  const k = db.kysely;
  const root = await k
    .selectFrom('jurisdictions')
    .select(['id', 'path', 'code'])
    .where('parent_id', 'is', null)
    .executeTakeFirstOrThrow();
  const now = new Date().toISOString();
  const subs: { id: number; path: string }[] = [];
  for (let d = 0; d < 5; d++) {
    const district = await k
      .insertInto('jurisdictions')
      .values({
        parent_id: root.id,
        level: 'district',
        name: `区${d}`,
        name_en: null,
        code: `319${String(d).padStart(2, '0')}0`,
        path: '',
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const dPath = `${root.path}${district.id}/`;
    await k.updateTable('jurisdictions').set({ path: dPath }).where('id', '=', district.id).execute();
    for (let s = 0; s < SUBDISTRICTS / 5; s++) {
      const sub = await k
        .insertInto('jurisdictions')
        .values({
          parent_id: district.id,
          level: 'subdistrict',
          name: `街道${d}-${s}`,
          name_en: null,
          code: `319${String(d).padStart(2, '0')}0${String(s).padStart(3, '0')}`,
          path: '',
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const sPath = `${dPath}${sub.id}/`;
      await k.updateTable('jurisdictions').set({ path: sPath }).where('id', '=', sub.id).execute();
      subs.push({ id: sub.id, path: sPath });
    }
  }
  const started = performance.now();
  for (let from = 0; from < HOUSEHOLDS; from += 1000) {
    const rows: Insertable<HouseholdTable>[] = [];
    for (let n = from; n < Math.min(HOUSEHOLDS, from + 1000); n++) {
      const j = subs[n % subs.length]!;
      rows.push({
        jurisdiction_id: j.id,
        jurisdiction_path: j.path,
        head_name: nameOf(n),
        ...idNumberColumns(keyring, idNumber(n)),
        ...phoneColumns(keyring, phone(n)),
        category: 'subsistence_allowance',
        address: null,
        // A fresh database numbers households from 1: the n-th one's card is known before insert (checked below).
        card_number: cardNumberFor(n + 1),
        verified_at: now,
        verified_by_id: null,
        verified_by_name: 'bench',
        verification_note: null,
        valid_until: '2099-12-31',
        consent_data_use: 1,
        consent_sharing: 0,
        consent_on: null,
        consent_scope: null,
        version: 1,
        created_at: now,
        updated_at: now,
      });
    }
    await k.transaction().execute((trx) => trx.insertInto('households').values(rows).execute());
  }
  const first = await k
    .selectFrom('households')
    .select((eb) => eb.fn.min('id').as('id'))
    .executeTakeFirstOrThrow();
  const firstId = Number(first.id);
  if (firstId !== 1) throw new Error(`households start at id ${firstId}, not 1: card numbers would not match`);
  // A live database has statistics; a bulk load has none until autovacuum comes by. Measure what runs.
  await sql`analyze`.execute(k);
  console.log(
    `  seeded ${HOUSEHOLDS.toLocaleString('en-US')} households in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return { root, firstId };
}

interface Timing {
  perSecond: number;
  p50: number;
  p99: number;
}

async function time(n: number, run: (i: number) => Promise<unknown>): Promise<Timing> {
  const ms: number[] = [];
  for (let i = 0; i < Math.min(50, n); i++) await run(i);
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await run(i);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const total = ms.reduce((a, b) => a + b, 0);
  return { perSecond: (n * 1000) / total, p50: ms[Math.floor(n * 0.5)]!, p99: ms[Math.floor(n * 0.99)]! };
}

type Raw = (sqlText: string, params: unknown[]) => Promise<unknown[]>;

async function measure(database: EngineDatabase) {
  const env = benchEnv(database);
  const config = loadConfig(env);
  const db = openDatabase(config.database);
  const keyring = new Keyring(config.secret);
  await migrate(db);
  await firstRun({ db, config, keyring }, () => {});
  const { root, firstId } = await seed(db, keyring);
  const service = createHouseholdService({ db, config, keyring });
  const ctx = { actor: systemActor(root), requestId: null, ip: null };

  let raw: Raw;
  let close: () => Promise<void>;
  if (database.engine === 'sqlite') {
    const file = config.database.engine === 'sqlite' ? config.database.file : '';
    const conn = new BetterSqlite3(file, { readonly: true });
    const cache = new Map<string, BetterSqlite3.Statement>();
    raw = async (text, params) => {
      let st = cache.get(text);
      if (!st) cache.set(text, (st = conn.prepare(text)));
      return st.all(...params);
    };
    close = async () => {
      conn.close();
    };
  } else {
    const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 2 });
    let i = 0;
    raw = async (text, params) =>
      (
        await pool.query(
          text.replace(/\?/g, () => `$${++i}`),
          params,
        )
      ).rows.slice(0, (i = 0) + 51);
    close = () => pool.end();
  }
  const [low, high] = [
    root.path,
    root.path.slice(0, -1) + String.fromCharCode(root.path.charCodeAt(root.path.length - 1) + 1),
  ];
  const pick = (i: number) => (i * 7919) % HOUSEHOLDS;
  const base = 'select * from households where jurisdiction_path >= ? and jurisdiction_path < ?';
  const cases: [string, (i: number) => string, (i: number) => Promise<unknown[]>][] = [
    [
      'card number',
      (i) => cardNumberFor(firstId + pick(i)),
      (i) =>
        raw(`${base} and card_number = ? order by id desc limit 51`, [low, high, cardNumberFor(firstId + pick(i))]),
    ],
    [
      'full ID number (keyed index)',
      (i) => idNumber(pick(i)),
      (i) =>
        raw(`${base} and id_index = ? order by id desc limit 51`, [
          low,
          high,
          keyring.hmac('household-id-index', idNumber(pick(i))),
        ]),
    ],
    [
      'phone (keyed index)',
      (i) => phone(pick(i)),
      (i) =>
        raw(`${base} and phone_index = ? order by id desc limit 51`, [
          low,
          high,
          keyring.hmac('household-phone-index', phone(pick(i))),
        ]),
    ],
    [
      'name fragment (2 characters)',
      (i) => nameOf(pick(i)).slice(1),
      (i) =>
        raw(`${base} and head_name like ? escape '\\' order by id desc limit 51`, [
          low,
          high,
          `%${nameOf(pick(i)).slice(1)}%`,
        ]),
    ],
  ];
  const rows: string[] = [];
  for (const [label, q, baseline] of cases) {
    const found = await service.listHouseholds(ctx, { q: q(1), limit: 50 });
    if (!found.items.length) throw new Error(`${label}: the app found nothing for ${q(1)}`);
    // A name fragment scans: fewer of them, so a run stays within minutes.
    const n = label.startsWith('name') ? Math.max(20, Math.floor(LOOKUPS / 10)) : LOOKUPS;
    const app = await time(n, (i) => service.listHouseholds(ctx, { q: q(i), limit: 50 }));
    const bare = await time(n, baseline);
    console.log(`  ${label}: app ${Math.round(app.perSecond)}/s, baseline ${Math.round(bare.perSecond)}/s`);
    rows.push(
      `| ${label} | ${database.engine} | ${Math.round(app.perSecond)} | ${app.p50.toFixed(2)} / ${app.p99.toFixed(2)} | ${Math.round(bare.perSecond)} | ${bare.p50.toFixed(2)} / ${bare.p99.toFixed(2)} | ${(app.perSecond / bare.perSecond).toFixed(2)} |`,
    );
  }
  await close();
  await db.close();
  return rows;
}

const engines = args.engine ?? ['sqlite', 'postgres'];
const pgUrl = process.env.QIAO_BENCH_PG_URL ?? process.env.QIAO_TEST_PG_URL;
const out = [
  `Households: ${HOUSEHOLDS.toLocaleString('en-US')}, ${LOOKUPS} lookups per side (name fragments a tenth), one at a time, city scope`,
  '',
  '| lookup | engine | app /s | app p50 / p99 ms | baseline /s | baseline p50 / p99 ms | app / baseline |',
  '|---|---|---|---|---|---|---|',
];
for (const engine of engines) {
  if (engine === 'postgres' && !pgUrl) {
    console.log('PostgreSQL skipped: set QIAO_BENCH_PG_URL (or QIAO_TEST_PG_URL).');
    continue;
  }
  const database = engine === 'sqlite' ? await createSqlite() : await createPostgres(pgUrl!);
  console.log(`${engine}…`);
  try {
    out.push(...(await measure(database)));
  } finally {
    await database.dispose();
  }
}
console.log(`\n${out.join('\n')}`);
