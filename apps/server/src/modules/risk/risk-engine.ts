import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { RiskLevel } from '@qiao/contracts';
import { refreshStatistics } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import { addDays, addMonths, type RiskRuleDefinition, type RuleRegistry } from './rule-registry.js';

/** A rule as the scan applies it: the definition with the city's weight, switch and parameters. */
export interface EffectiveRule {
  def: RiskRuleDefinition;
  enabled: boolean;
  weight: number;
  params: Record<string, number>;
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface Thresholds {
  yellow: number;
  orange: number;
  red: number;
}

/**
 * A listing rule of the abnormal-activity list: an organization whose `signal` has stayed open
 * `days` days is listed for `reason`. The clock restarts after a removal.
 */
export interface ListingRule {
  reason: 'unreachable' | 'no_party_organization';
  signal: string;
  days: number;
}

export const listingRules: ListingRule[] = [
  // Two monthly notices unanswered: 60 days unreachable.
  { reason: 'unreachable', signal: 'unreachable', days: 60 },
  // The deadline to set up (or join) a party organization: a year from when the gap was first seen.
  { reason: 'no_party_organization', signal: 'no_party_organization', days: 365 },
];

/** Abnormal-activity listings end by themselves after this many months. */
export const LISTING_MONTHS = 6;

export const CANDIDATE_STATUSES = ['active', 'dormant', 'suspended'] as const;

/** New signals of one scan step in one subdistrict: what its center staff are told. */
export interface RaisedAlert {
  jurisdictionId: number;
  jurisdictionPath: string;
  organizations: number;
  signals: number;
}

export interface RangeResult {
  scanned: number;
  signals: number;
  raised: number;
  cleared: number;
  listed: number;
  delisted: number;
  alerts: RaisedAlert[];
}

export function levelOf(score: number, t: Thresholds): RiskLevel {
  if (score >= t.red) return 'red';
  if (score >= t.orange) return 'orange';
  if (score >= t.yellow) return 'yellow';
  return 'green';
}

const n = (v: unknown) => Number(v ?? 0);

/**
 * Evaluates every rule over the candidate organizations with ids in [lo, hi], in the caller's
 * transaction, with a constant number of statements whatever the range holds: each rule's hits go
 * into `risk_scan_hits`, then new signals are opened, open ones refreshed, missing ones cleared,
 * scores and levels recomputed (history kept) and the abnormal-activity list kept — all set-based.
 */
export async function evaluateRange(
  trx: Transaction<Database> | Kysely<Database>,
  engine: 'sqlite' | 'postgres',
  rules: EffectiveRule[],
  thresholds: Thresholds,
  today: string,
  nowIso: string,
  lo: number,
  hi: number,
): Promise<RangeResult> {
  const scanId = randomUUID();
  const statuses = sql.join(CANDIDATE_STATUSES.map((s) => sql`${s}`));
  const candidates = sql<boolean>`o.status in (${statuses}) and o.id >= ${lo} and o.id <= ${hi}`;
  const enabled = rules.filter((r) => r.enabled);

  for (const rule of enabled) {
    const q = rule.def.evaluate({
      today,
      params: rule.params,
      candidates,
      idsIn: (column) => sql<boolean>`${sql.ref(column)} >= ${lo} and ${sql.ref(column)} <= ${hi}`,
      addDays: (d) => addDays(today, d),
      addMonths: (m) => addMonths(today, m),
    });
    await sql`insert into risk_scan_hits (scan_id, rule_id, weight, organization_id, since, ev_date, ev_count, ev_text)
      select ${scanId}, ${rule.def.id}, ${rule.weight}, o.id, ${q.since ?? sql`null`}, ${q.date ?? sql`null`},
        ${q.count ?? sql`null`}, ${q.text ?? sql`null`} ${q.from}`.execute(trx);
  }

  // A chunk of a full scan writes 10^5 rows; one organization a handful, for which the plans are right anyway.
  const bulk = hi - lo >= 1000;
  if (bulk) await refreshStatistics(trx, engine, ['risk_scan_hits', 'risk_signals']);

  const scanned = n(
    (await sql<{ c: number }>`select count(*) as c from organizations o where ${candidates}`.execute(trx)).rows[0]?.c,
  );
  const signals = n(
    (await sql<{ c: number }>`select count(*) as c from risk_scan_hits where scan_id = ${scanId}`.execute(trx)).rows[0]
      ?.c,
  );

  // Open signals for hits that have none; `since` is when the condition began, or today. The partial
  // unique index (one open signal per organization and rule) skips the others. No NOT EXISTS over
  // risk_signals here: a statement reading the table it inserts into re-reads its own new rows, and
  // PostgreSQL planned that as a nested loop over a sequential scan — quadratic (90 s for 60,000 rows).
  const raised = await sql`insert into risk_signals
      (organization_id, jurisdiction_path, rule_id, weight, since, ev_date, ev_count, ev_text, raised_at, cleared_on)
    select h.organization_id, o.jurisdiction_path, h.rule_id, h.weight, coalesce(h.since, ${today}),
      h.ev_date, h.ev_count, h.ev_text, ${nowIso}, null
    from risk_scan_hits h join organizations o on o.id = h.organization_id
    where h.scan_id = ${scanId}
    on conflict do nothing`.execute(trx);

  // Open signals still found: their evidence and weight follow the data and the settings.
  await sql`update risk_signals as s set weight = h.weight, ev_date = h.ev_date, ev_count = h.ev_count, ev_text = h.ev_text
    from risk_scan_hits h
    where h.scan_id = ${scanId} and h.organization_id = s.organization_id and h.rule_id = s.rule_id
      and s.cleared_on is null and s.organization_id >= ${lo} and s.organization_id <= ${hi}
      and (s.weight <> h.weight or s.ev_date is distinct from h.ev_date or s.ev_count is distinct from h.ev_count
        or s.ev_text is distinct from h.ev_text)`.execute(trx);

  // Open signals no rule found any more (the data changed, the rule was switched off, the
  // organization left the candidates): cleared today, which resolves their alert.
  const cleared = await sql`update risk_signals set cleared_on = ${today}
    where cleared_on is null and organization_id >= ${lo} and organization_id <= ${hi}
      and not exists (select 1 from risk_scan_hits h where h.scan_id = ${scanId}
        and h.organization_id = risk_signals.organization_id and h.rule_id = risk_signals.rule_id)`.execute(trx);

  // An organization placed in another subdistrict takes its open signals and listings along, so the
  // old subdistrict's staff stop seeing them and the new one's start.
  for (const table of ['risk_signals', 'abnormal_listings'] as const) {
    const open = table === 'risk_signals' ? sql`cleared_on is null` : sql`removed_on is null`;
    await sql`update ${sql.table(table)} set jurisdiction_path = (select o.jurisdiction_path from organizations o
        where o.id = ${sql.table(table)}.organization_id)
      where ${open} and organization_id >= ${lo} and organization_id <= ${hi}
        and jurisdiction_path <> (select o.jurisdiction_path from organizations o where o.id = ${sql.table(table)}.organization_id)`.execute(
      trx,
    );
  }

  if (bulk) await refreshStatistics(trx, engine, ['risk_signals', 'organization_risk', 'abnormal_listings']);
  await scoreRange(trx, thresholds, today, nowIso, lo, hi);
  const listing = await keepAbnormalList(trx, scanId, today, lo, hi);

  const alerts = (
    await sql<{ jurisdiction_id: number; path: string; orgs: number; c: number }>`
      select o.jurisdiction_id, o.jurisdiction_path as path, count(distinct s.organization_id) as orgs, count(*) as c
      from risk_signals s join organizations o on o.id = s.organization_id
      where s.raised_at = ${nowIso} and s.organization_id >= ${lo} and s.organization_id <= ${hi}
      group by o.jurisdiction_id, o.jurisdiction_path`.execute(trx)
  ).rows.map((r) => ({
    jurisdictionId: n(r.jurisdiction_id),
    jurisdictionPath: r.path,
    organizations: n(r.orgs),
    signals: n(r.c),
  }));

  await sql`delete from risk_scan_hits where scan_id in (${scanId}, ${`${scanId}:list`})`.execute(trx);
  return {
    scanned,
    signals,
    raised: n(raised.numAffectedRows),
    cleared: n(cleared.numAffectedRows),
    ...listing,
    alerts,
  };
}

function levelCase(score: RawBuilder<unknown>, t: Thresholds) {
  return sql`case when ${score} >= ${t.red} then 'red' when ${score} >= ${t.orange} then 'orange'
    when ${score} >= ${t.yellow} then 'yellow' else 'green' end`;
}

/** Score = sum of open signals' weights; level by thresholds; a level change goes into the history. */
async function scoreRange(
  trx: Transaction<Database> | Kysely<Database>,
  t: Thresholds,
  today: string,
  nowIso: string,
  lo: number,
  hi: number,
) {
  const computed = sql`(select c.organization_id, c.score, ${levelCase(sql`c.score`, t)} as level, o.jurisdiction_path
    from (select organization_id, sum(weight) as score from risk_signals
          where cleared_on is null and organization_id >= ${lo} and organization_id <= ${hi}
          group by organization_id) c
    join organizations o on o.id = c.organization_id)`;

  // History: every organization whose level differs from the stored one (absent = green).
  await sql`insert into risk_level_history (organization_id, level, score, changed_on, changed_at)
    select c.organization_id, c.level, c.score, ${today}, ${nowIso} from ${computed} c
    left join organization_risk r on r.organization_id = c.organization_id
    where coalesce(r.level, 'green') <> c.level`.execute(trx);
  await sql`insert into risk_level_history (organization_id, level, score, changed_on, changed_at)
    select r.organization_id, 'green', coalesce(c.score, 0), ${today}, ${nowIso} from organization_risk r
    left join ${computed} c on c.organization_id = r.organization_id
    where r.organization_id >= ${lo} and r.organization_id <= ${hi} and coalesce(c.level, 'green') = 'green'`.execute(
    trx,
  );
  await sql`delete from organization_risk where organization_id >= ${lo} and organization_id <= ${hi}
    and organization_id not in (select c.organization_id from ${computed} c where c.level <> 'green')`.execute(trx);
  await sql`insert into organization_risk (organization_id, jurisdiction_path, level, score, level_since, evaluated_at)
    select c.organization_id, c.jurisdiction_path, c.level, c.score, ${today}, ${nowIso} from ${computed} c
    where c.level <> 'green'
    on conflict (organization_id) do update set
      level_since = case when organization_risk.level = excluded.level then organization_risk.level_since
        else excluded.level_since end,
      level = excluded.level, score = excluded.score, jurisdiction_path = excluded.jurisdiction_path,
      evaluated_at = excluded.evaluated_at
    where organization_risk.level <> excluded.level or organization_risk.score <> excluded.score
      or organization_risk.jurisdiction_path <> excluded.jurisdiction_path`.execute(trx);
}

/**
 * Lists organizations whose listing signal has stayed open long enough; ends listings after six
 * months. The candidates go through the scratch table first, so no statement reads the table it
 * inserts into (see the signals' insert).
 */
async function keepAbnormalList(
  trx: Transaction<Database> | Kysely<Database>,
  scanId: string,
  today: string,
  lo: number,
  hi: number,
): Promise<{ listed: number; delisted: number }> {
  const expired = await sql`update abnormal_listings set removed_on = ${today}, removal_kind = 'expired'
    where removed_on is null and listed_on <= ${addMonths(today, -LISTING_MONTHS)}
      and organization_id >= ${lo} and organization_id <= ${hi}`.execute(trx);
  const listScan = `${scanId}:list`;
  let listed = 0;
  for (const rule of listingRules) {
    const cutoff = addDays(today, -rule.days);
    // Candidates: the signal open since the cutoff or earlier, no current listing for the reason, and
    // no removal after the cutoff (the clock restarts when a listing ends).
    await sql`insert into risk_scan_hits (scan_id, rule_id, weight, organization_id, since, ev_date, ev_count, ev_text)
      select ${listScan}, ${rule.reason}, 0, s.organization_id, s.since, null, null, s.jurisdiction_path
      from risk_signals s
      where s.rule_id = ${rule.signal} and s.cleared_on is null and s.since <= ${cutoff}
        and s.organization_id >= ${lo} and s.organization_id <= ${hi}
        and not exists (select 1 from abnormal_listings x where x.organization_id = s.organization_id
          and x.reason = ${rule.reason} and (x.removed_on is null or x.removed_on > ${cutoff}))`.execute(trx);
    const r = await sql`insert into abnormal_listings (organization_id, jurisdiction_path, reason, listed_on, details)
      select h.organization_id, h.ev_text, h.rule_id, ${today},
        '{"rule":"' || ${rule.signal} || '","signalSince":"' || h.since || '","days":' || ${String(rule.days)} || '}'
      from risk_scan_hits h where h.scan_id = ${listScan} and h.rule_id = ${rule.reason}
      on conflict do nothing`.execute(trx);
    listed += n(r.numAffectedRows);
  }
  return { listed, delisted: n(expired.numAffectedRows) };
}

/** The rules as the city configured them. */
export async function effectiveRules(
  db: Kysely<Database> | Transaction<Database>,
  registry: RuleRegistry,
): Promise<EffectiveRule[]> {
  const rows = await db.selectFrom('risk_rule_settings').selectAll().execute();
  const byId = new Map(rows.map((r) => [r.rule_id, r]));
  return registry.all().map((def) => {
    const row = byId.get(def.id);
    const stored = row ? (JSON.parse(row.params) as Record<string, number>) : {};
    const params = Object.fromEntries(
      Object.entries(def.params).map(([k, p]) => {
        const v = stored[k];
        return [k, typeof v === 'number' && v >= p.min && v <= p.max ? v : p.default];
      }),
    );
    return {
      def,
      enabled: row ? row.enabled === 1 : true,
      weight: row ? row.weight : def.defaultWeight,
      params,
      updatedAt: row?.updated_at ?? null,
      updatedBy: row?.updated_by_name ?? null,
    };
  });
}
