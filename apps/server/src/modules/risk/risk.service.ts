import { sql, type Transaction } from 'kysely';
import {
  riskLevels,
  type AbnormalListing,
  type OrganizationRisk,
  type RiskLevel,
  type RiskRule,
  type UpdateRiskRuleBody,
  type UpdateRiskSettingsBody,
} from '@qiao/contracts';
import type { Database } from '../../db/schema.js';
import { recordAudit } from '../../platform/audit/audit-log.js';
import type { Deps } from '../../platform/deps.js';
import { DomainError, invalidFields, notFound } from '../../platform/errors.js';
import { auditContext, inScope, inSubtree, type RequestContext } from '../../platform/scope.js';
import type { FieldError } from '@qiao/contracts';
import {
  effectiveRules,
  evaluateRange,
  levelOf,
  type EffectiveRule,
  type RaisedAlert,
  type RangeResult,
} from './risk-engine.js';
import { addDays, shanghaiDay, type RuleRegistry } from './rule-registry.js';

/** How many organization ids one scan transaction covers: bounds the time the SQLite writer is held. */
export const SCAN_CHUNK = 100_000;

/** Where the scan's alerts go: the center staff of each subdistrict with new signals. */
export interface RiskAlertSink {
  raised(trx: Transaction<Database>, alerts: RaisedAlert[]): Promise<void>;
}

export const noAlerts: RiskAlertSink = { raised: async () => {} };

export interface RiskServiceOptions {
  registry: RuleRegistry;
  /** Now; tests pass their own. */
  clock?: () => Date;
  alerts?: RiskAlertSink;
}

type ScanTotals = Omit<RangeResult, 'alerts'>;

/** Risk rules, scans, each organization's level and why, and the abnormal-activity list. */
export function createRiskService({ db, clock: depsClock }: Deps, options: RiskServiceOptions) {
  const kysely = db.kysely;
  const registry = options.registry;
  const clock = options.clock ?? depsClock ?? (() => new Date());
  const alerts = options.alerts ?? noAlerts;
  let scanning: Promise<unknown> | null = null;

  async function settings() {
    return kysely.selectFrom('risk_settings').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  }

  function presentRule(r: EffectiveRule): RiskRule {
    return {
      id: r.def.id,
      module: r.def.module,
      description: r.def.description,
      enabled: r.enabled,
      weight: r.weight,
      defaultWeight: r.def.defaultWeight,
      parameters: Object.entries(r.def.params).map(([name, p]) => ({ name, ...p, value: r.params[name]! })),
      updatedAt: r.updatedAt,
      updatedBy: r.updatedBy,
    };
  }

  /** Evaluates ids in [lo, hi] in chunks, each in its own transaction with its alerts. */
  async function evaluate(lo: number, hi: number, chunk: number): Promise<ScanTotals> {
    const now = clock();
    const today = shanghaiDay(now);
    const nowIso = now.toISOString();
    const rules = await effectiveRules(kysely, registry);
    const s = await settings();
    const totals: ScanTotals = { scanned: 0, signals: 0, raised: 0, cleared: 0, listed: 0, delisted: 0 };
    for (let from = lo; from <= hi; from += chunk) {
      const to = Math.min(hi, from + chunk - 1);
      await kysely.transaction().execute(async (trx) => {
        const r = await evaluateRange(trx, db.engine, rules, s, today, nowIso, from, to);
        await alerts.raised(trx, r.alerts);
        for (const k of Object.keys(totals) as (keyof ScanTotals)[]) totals[k] += r[k];
      });
    }
    return totals;
  }

  async function fullScan(): Promise<ScanTotals & { durationMs: number }> {
    if (scanning) throw new DomainError('conflict', 'A risk scan is already running.');
    const started = performance.now();
    const run = (async () => {
      const range = await kysely
        .selectFrom('organizations')
        .select((eb) => [eb.fn.min('id').as('lo'), eb.fn.max('id').as('hi')])
        .executeTakeFirstOrThrow();
      // Ids past the last organization too: signals of organizations that no longer qualify are cleared in range.
      const totals = range.lo == null ? null : await evaluate(Number(range.lo), Number(range.hi), SCAN_CHUNK);
      const now = clock();
      await kysely
        .updateTable('risk_settings')
        .set({ last_scan_at: now.toISOString(), last_scan_on: shanghaiDay(now) })
        .where('id', '=', 1)
        .execute();
      return totals ?? { scanned: 0, signals: 0, raised: 0, cleared: 0, listed: 0, delisted: 0 };
    })();
    scanning = run;
    try {
      const totals = await run;
      return { ...totals, durationMs: Math.round(performance.now() - started) };
    } finally {
      scanning = null;
    }
  }

  async function visibleOrganization(ctx: RequestContext, id: number) {
    const row = await kysely
      .selectFrom('organizations')
      .select(['id', 'jurisdiction_id', 'jurisdiction_path', 'status'])
      .where('id', '=', id)
      .executeTakeFirst();
    const visible =
      row &&
      (ctx.actor.role === 'ngo_officer'
        ? ctx.actor.organizationId === row.id
        : inScope(ctx.actor, row.jurisdiction_path));
    if (!row || !visible) throw notFound('organization');
    return row;
  }

  /** The subtree a `jurisdictionId` filter names, or the caller's; null when out of scope (an empty answer). */
  async function scopeOf(ctx: RequestContext, jurisdictionId?: number): Promise<string | null> {
    if (!jurisdictionId) return ctx.actor.scopePath;
    const j = await kysely
      .selectFrom('jurisdictions')
      .select('path')
      .where('id', '=', jurisdictionId)
      .executeTakeFirst();
    return j && inScope(ctx.actor, j.path) ? j.path : null;
  }

  function presentListing(r: {
    id: number;
    organization_id: number;
    name: string;
    jurisdiction_id: number;
    reason: string;
    listed_on: string;
    details: string;
    removed_on: string | null;
    removal_kind: string | null;
    removal_evidence: string | null;
    removed_by_name: string | null;
  }): AbnormalListing {
    return {
      id: r.id,
      organizationId: r.organization_id,
      organizationName: r.name,
      jurisdictionId: r.jurisdiction_id,
      reason: r.reason as AbnormalListing['reason'],
      listedOn: r.listed_on,
      details: JSON.parse(r.details) as Record<string, unknown>,
      removedOn: r.removed_on,
      removalKind: r.removal_kind as AbnormalListing['removalKind'],
      removalEvidence: r.removal_evidence,
      removedBy: r.removed_by_name,
    };
  }

  function listingQuery() {
    return kysely
      .selectFrom('abnormal_listings as l')
      .innerJoin('organizations as o', 'o.id', 'l.organization_id')
      .select([
        'l.id',
        'l.organization_id',
        'o.name',
        'o.jurisdiction_id',
        'l.reason',
        'l.listed_on',
        'l.details',
        'l.removed_on',
        'l.removal_kind',
        'l.removal_evidence',
        'l.removed_by_name',
      ]);
  }

  return {
    registry,

    /** Today as the rules see it: the Asia/Shanghai date of the service's clock. */
    today: () => shanghaiDay(clock()),

    async listRiskRules() {
      const s = await settings();
      return {
        items: (await effectiveRules(kysely, registry)).map(presentRule),
        settings: { yellow: s.yellow, orange: s.orange, red: s.red, scanHour: s.scan_hour, lastScanAt: s.last_scan_at },
      };
    },

    async updateRiskRule(ctx: RequestContext, id: string, body: UpdateRiskRuleBody): Promise<RiskRule> {
      const def = registry.get(id);
      if (!def) throw notFound('risk rule');
      const current = (await effectiveRules(kysely, registry)).find((r) => r.def.id === id)!;
      const errors: FieldError[] = [];
      for (const [name, value] of Object.entries(body.parameters ?? {})) {
        const p = def.params[name];
        if (!p)
          errors.push({ field: `parameters.${name}`, code: 'unknown', message: `the rule has no parameter ${name}` });
        else if (value < p.min || value > p.max)
          errors.push({ field: `parameters.${name}`, code: 'out_of_range', message: `between ${p.min} and ${p.max}` });
      }
      if (errors.length) throw invalidFields(errors);
      const next = {
        enabled: body.enabled ?? current.enabled,
        weight: body.weight ?? current.weight,
        params: { ...current.params, ...body.parameters },
      };
      const unchanged =
        next.enabled === current.enabled &&
        next.weight === current.weight &&
        Object.keys(def.params).every((k) => next.params[k] === current.params[k]);
      if (unchanged) return presentRule(current);
      const audit = auditContext(ctx);
      await kysely.transaction().execute(async (trx) => {
        const values = {
          enabled: next.enabled ? 1 : 0,
          weight: next.weight,
          params: JSON.stringify(next.params),
          updated_at: clock().toISOString(),
          updated_by_name: audit.actorName,
        };
        await trx
          .insertInto('risk_rule_settings')
          .values({ rule_id: id, ...values })
          .onConflict((oc) => oc.column('rule_id').doUpdateSet(values))
          .execute();
        const changes = [
          { field: 'enabled', before: current.enabled, after: next.enabled },
          { field: 'weight', before: current.weight, after: next.weight },
          ...Object.keys(def.params).map((k) => ({
            field: `parameters.${k}`,
            before: current.params[k],
            after: next.params[k],
          })),
        ].filter((c) => c.before !== c.after);
        await recordAudit(trx, audit, { action: 'risk.rule_update', entityType: 'risk_rule', entityId: id, changes });
      });
      return presentRule((await effectiveRules(kysely, registry)).find((r) => r.def.id === id)!);
    },

    async updateRiskSettings(ctx: RequestContext, body: UpdateRiskSettingsBody) {
      const before = await settings();
      await kysely.transaction().execute(async (trx) => {
        await trx
          .updateTable('risk_settings')
          .set({
            yellow: body.yellow,
            orange: body.orange,
            red: body.red,
            scan_hour: body.scanHour,
            updated_at: clock().toISOString(),
          })
          .where('id', '=', 1)
          .execute();
        const changes = (['yellow', 'orange', 'red'] as const)
          .map((k) => ({ field: k as string, before: before[k], after: body[k] }))
          .concat([{ field: 'scanHour', before: before.scan_hour, after: body.scanHour }])
          .filter((c) => c.before !== c.after);
        await recordAudit(trx, auditContext(ctx), {
          action: 'risk.settings_update',
          entityType: 'risk_settings',
          entityId: 1,
          changes,
        });
      });
      return (await this.listRiskRules()).settings;
    },

    /** On demand: every candidate organization, in chunks; one audit event with the counts. */
    async runRiskScan(ctx: RequestContext) {
      const r = await fullScan();
      await kysely.transaction().execute((trx) =>
        recordAudit(trx, auditContext(ctx), {
          action: 'risk.scan',
          details: { ...r },
        }),
      );
      return { scanned: r.scanned, signals: r.signals, durationMs: r.durationMs };
    },

    /** The nightly job: runs once a day, at or after the configured hour (Asia/Shanghai). */
    async runScheduledScan(): Promise<ScanTotals | null> {
      const s = await settings();
      const now = clock();
      const hour = new Date(now.getTime() + 8 * 3_600_000).getUTCHours();
      if (s.last_scan_on === shanghaiDay(now) || hour < s.scan_hour || scanning) return null;
      const r = await fullScan();
      await kysely.transaction().execute((trx) =>
        recordAudit(
          trx,
          {
            actorId: null,
            actorName: 'system',
            actorRole: null,
            jurisdictionId: null,
            scopePath: null,
            requestId: null,
            ip: null,
          },
          { action: 'risk.scan', details: { ...r, scheduled: true } },
        ),
      );
      return r;
    },

    /** One organization again, after its record or activities changed. */
    async reevaluateOrganization(id: number): Promise<ScanTotals> {
      return evaluate(id, id, 1);
    },

    async getOrganizationRisk(ctx: RequestContext, id: number): Promise<OrganizationRisk> {
      await visibleOrganization(ctx, id);
      const [risk, signals, history, listings, s] = await Promise.all([
        kysely.selectFrom('organization_risk').selectAll().where('organization_id', '=', id).executeTakeFirst(),
        kysely
          .selectFrom('risk_signals')
          .selectAll()
          .where('organization_id', '=', id)
          .where('cleared_on', 'is', null)
          .orderBy('weight', 'desc')
          .orderBy('rule_id')
          .execute(),
        kysely
          .selectFrom('risk_level_history')
          .select(['level', 'score', 'changed_on'])
          .where('organization_id', '=', id)
          .orderBy('id', 'desc')
          .limit(50)
          .execute(),
        kysely
          .selectFrom('abnormal_listings')
          .select(['id', 'reason', 'listed_on', 'removed_on'])
          .where('organization_id', '=', id)
          .orderBy('id', 'desc')
          .execute(),
        settings(),
      ]);
      return {
        level: (risk?.level as RiskLevel) ?? 'green',
        score: risk?.score ?? 0,
        signals: signals.map((sg) => {
          const keys = registry.get(sg.rule_id)?.evidence ?? {};
          const evidence: Record<string, unknown> = {};
          if (keys.date) evidence[keys.date] = sg.ev_date;
          if (keys.count) evidence[keys.count] = sg.ev_count === null ? null : Number(sg.ev_count);
          if (keys.text) evidence[keys.text] = sg.ev_text;
          return { rule: sg.rule_id, since: sg.since, evidence, weight: sg.weight };
        }),
        levelSince: risk?.level_since ?? history[0]?.changed_on ?? null,
        evaluatedAt: [risk?.evaluated_at, s.last_scan_at].filter(Boolean).sort().pop() ?? null,
        history: history.map((h) => ({ level: h.level as RiskLevel, score: h.score, on: h.changed_on })),
        abnormalListings: listings.map((l) => ({
          id: l.id,
          reason: l.reason as AbnormalListing['reason'],
          listedOn: l.listed_on,
          removedOn: l.removed_on,
        })),
      };
    },

    /** Organizations above green in scope, highest score first. */
    async listRiskOrganizations(
      ctx: RequestContext,
      query: { level?: RiskLevel; jurisdictionId?: number; limit: number; cursor?: string },
    ) {
      const scope = await scopeOf(ctx, query.jurisdictionId);
      if (!scope || ctx.actor.role === 'ngo_officer' || query.level === 'green') return { items: [], nextCursor: null };
      let q = kysely
        .selectFrom('organization_risk as r')
        .innerJoin('organizations as o', 'o.id', 'r.organization_id')
        .select(['r.organization_id', 'o.name', 'o.jurisdiction_id', 'r.level', 'r.score', 'r.level_since'])
        .where(inSubtree('r.jurisdiction_path', scope));
      if (query.level) q = q.where('r.level', '=', query.level);
      if (query.cursor) {
        const [score, oid] = query.cursor.split('.').map(Number) as [number, number];
        q = q.where(sql<boolean>`(r.score < ${score} or (r.score = ${score} and r.organization_id > ${oid}))`);
      }
      const rows = await q
        .orderBy('r.score', 'desc')
        .orderBy('r.organization_id')
        .limit(query.limit + 1)
        .execute();
      const page = rows.slice(0, query.limit);
      const ruleRows = page.length
        ? await kysely
            .selectFrom('risk_signals')
            .select(['organization_id', 'rule_id'])
            .where(
              'organization_id',
              'in',
              page.map((r) => r.organization_id),
            )
            .where('cleared_on', 'is', null)
            .orderBy('weight', 'desc')
            .execute()
        : [];
      const last = page[page.length - 1];
      return {
        items: page.map((r) => ({
          organizationId: r.organization_id,
          name: r.name,
          jurisdictionId: r.jurisdiction_id,
          level: r.level as RiskLevel,
          score: r.score,
          rules: ruleRows.filter((x) => x.organization_id === r.organization_id).map((x) => x.rule_id),
          levelSince: r.level_since,
        })),
        nextCursor: rows.length > query.limit && last ? `${last.score}.${last.organization_id}` : null,
      };
    },

    /** Counts by level (green = candidates without a row), new signals of the last seven days, listed now. */
    async getRiskSummary(ctx: RequestContext, query: { jurisdictionId?: number }) {
      const scope = await scopeOf(ctx, query.jurisdictionId);
      const byLevel = { green: 0, yellow: 0, orange: 0, red: 0 };
      if (!scope || ctx.actor.role === 'ngo_officer') return { byLevel, newSignalsThisWeek: [], abnormalListed: 0 };
      const levels = await kysely
        .selectFrom('organization_risk')
        .select(['level', (eb) => eb.fn.countAll<number>().as('c')])
        .where(inSubtree('jurisdiction_path', scope))
        .groupBy('level')
        .execute();
      for (const l of levels)
        if (riskLevels.includes(l.level as RiskLevel)) byLevel[l.level as RiskLevel] = Number(l.c);
      const candidates = await kysely
        .selectFrom('organizations')
        .select((eb) => eb.fn.countAll<number>().as('c'))
        .where(inSubtree('jurisdiction_path', scope))
        .where('status', 'in', ['active', 'dormant', 'suspended'])
        .executeTakeFirstOrThrow();
      byLevel.green = Math.max(0, Number(candidates.c) - byLevel.yellow - byLevel.orange - byLevel.red);
      // Seven Shanghai days back from today, as an instant (Shanghai midnight is 16:00 UTC the day before).
      const weekStart = new Date(`${addDays(shanghaiDay(clock()), -6)}T00:00:00+08:00`).toISOString();
      const fresh = await kysely
        .selectFrom('risk_signals')
        .select(['rule_id', (eb) => eb.fn.countAll<number>().as('c')])
        .where(inSubtree('jurisdiction_path', scope))
        .where('raised_at', '>=', weekStart)
        .groupBy('rule_id')
        .orderBy('rule_id')
        .execute();
      const listed = await kysely
        .selectFrom('abnormal_listings')
        .select((eb) => eb.fn.countAll<number>().as('c'))
        .where(inSubtree('jurisdiction_path', scope))
        .where('removed_on', 'is', null)
        .executeTakeFirstOrThrow();
      return {
        byLevel,
        newSignalsThisWeek: fresh.map((f) => ({ rule: f.rule_id, count: Number(f.c) })),
        abnormalListed: Number(listed.c),
      };
    },

    async listAbnormalListings(
      ctx: RequestContext,
      query: { jurisdictionId?: number; current: 'true' | 'false'; limit: number; cursor?: string },
    ) {
      const scope = await scopeOf(ctx, query.jurisdictionId);
      if (!scope || ctx.actor.role === 'ngo_officer') return { items: [], nextCursor: null };
      let q = listingQuery().where(inSubtree('l.jurisdiction_path', scope));
      q = query.current === 'true' ? q.where('l.removed_on', 'is', null) : q.where('l.removed_on', 'is not', null);
      if (query.cursor) q = q.where('l.id', '<', Number(query.cursor));
      const rows = await q
        .orderBy('l.id', 'desc')
        .limit(query.limit + 1)
        .execute();
      const page = rows.slice(0, query.limit);
      return {
        items: page.map(presentListing),
        nextCursor: rows.length > query.limit ? String(page[page.length - 1]!.id) : null,
      };
    },

    /** Staff take an organization off the list once it has rectified, with the evidence. */
    async removeAbnormalListing(ctx: RequestContext, id: number, evidence: string): Promise<AbnormalListing> {
      const row = await kysely.selectFrom('abnormal_listings').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row || !inScope(ctx.actor, row.jurisdiction_path)) throw notFound('listing');
      if (row.removed_on) throw new DomainError('conflict', 'This listing has already ended.');
      const today = shanghaiDay(clock());
      const audit = auditContext(ctx);
      await kysely.transaction().execute(async (trx) => {
        const r = await trx
          .updateTable('abnormal_listings')
          .set({
            removed_on: today,
            removal_kind: 'rectified',
            removal_evidence: evidence,
            removed_by_name: audit.actorName,
          })
          .where('id', '=', id)
          .where('removed_on', 'is', null)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) throw new DomainError('conflict', 'This listing has already ended.');
        const org = await trx
          .selectFrom('organizations')
          .select(['jurisdiction_id', 'jurisdiction_path'])
          .where('id', '=', row.organization_id)
          .executeTakeFirstOrThrow();
        await recordAudit(trx, audit, {
          action: 'abnormal_list.remove',
          entityType: 'abnormal_listing',
          entityId: id,
          jurisdiction: { id: org.jurisdiction_id, path: org.jurisdiction_path },
          changes: [{ field: 'removedOn', before: null, after: today }],
          details: { organizationId: row.organization_id, reason: row.reason, evidence },
        });
      });
      return presentListing((await listingQuery().where('l.id', '=', id).executeTakeFirstOrThrow()) as never);
    },

    /** For the public directory: the organization's current listings. */
    async publicListings(organizationId: number) {
      return (
        await kysely
          .selectFrom('abnormal_listings')
          .select(['reason', 'listed_on'])
          .where('organization_id', '=', organizationId)
          .where('removed_on', 'is', null)
          .orderBy('id')
          .execute()
      ).map((l) => ({ reason: l.reason, listedOn: l.listed_on }));
    },

    levelOf,
  };
}

export type RiskService = ReturnType<typeof createRiskService>;
