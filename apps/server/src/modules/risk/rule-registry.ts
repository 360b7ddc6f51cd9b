import { sql, type RawBuilder } from 'kysely';

/** An integer parameter of a rule, editable by the city admin within [min, max]. */
export interface RuleParameter {
  unit: 'days' | 'count';
  min: number;
  max: number;
  default: number;
}

/** What a rule's SQL is given: the day being judged and the rule's current parameters. */
export interface RuleContext {
  /** Today in Asia/Shanghai, YYYY-MM-DD. */
  today: string;
  params: Record<string, number>;
  /** A condition on `o` (organizations) keeping the candidates: active, dormant, suspended (and one id when re-evaluating). */
  candidates: RawBuilder<boolean>;
  /**
   * A condition keeping `column` (an organization id in another table) within the ids being
   * evaluated: lets a rule's subquery over its own table use its organization index, so evaluating
   * one organization reads that organization's rows only.
   */
  idsIn(column: string): RawBuilder<boolean>;
  /** `today` moved by whole days (negative: back), YYYY-MM-DD. */
  addDays(days: number): string;
  /** `today` moved by whole months, the day clamped to the month's end. */
  addMonths(months: number): string;
}

/**
 * A rule's set-based evaluation: `from` is the tail of one SELECT over `organizations o` (joins,
 * where — it must keep `${ctx.candidates}`); the expressions give each hit's columns. Evidence is
 * three typed columns the rule names (`evidence`), so the SQL needs no engine's JSON functions.
 */
export interface RuleQuery {
  from: RawBuilder<unknown>;
  /** When the condition began (YYYY-MM-DD); absent → the day the scan first saw it. */
  since?: RawBuilder<unknown>;
  date?: RawBuilder<unknown>;
  count?: RawBuilder<unknown>;
  text?: RawBuilder<unknown>;
}

export interface RiskRuleDefinition {
  id: string;
  /** The module that registered it (registry, cases, annual reports…). */
  module: string;
  description: { 'zh-CN': string; en: string };
  defaultWeight: number;
  params: Record<string, RuleParameter>;
  /** The evidence keys the three evidence columns are shown under. */
  evidence: { date?: string; count?: string; text?: string };
  evaluate(ctx: RuleContext): RuleQuery;
}

/** Rules registered by modules; the scan engine knows none of them by name. */
export class RuleRegistry {
  private readonly rules = new Map<string, RiskRuleDefinition>();

  register(rule: RiskRuleDefinition): void {
    if (!/^[a-z][a-z_]{0,39}$/.test(rule.id)) throw new Error(`bad rule id ${rule.id}`);
    if (this.rules.has(rule.id)) throw new Error(`rule ${rule.id} registered twice`);
    for (const [name, p] of Object.entries(rule.params)) {
      if (!(p.min <= p.default && p.default <= p.max))
        throw new Error(`rule ${rule.id}: default of ${name} out of range`);
    }
    this.rules.set(rule.id, rule);
  }

  get(id: string): RiskRuleDefinition | undefined {
    return this.rules.get(id);
  }

  all(): RiskRuleDefinition[] {
    return [...this.rules.values()];
  }
}

export { addDays, shanghaiDay } from '../../platform/calendar.js';

export function addMonths(day: string, months: number): string {
  const [y, m, dd] = day.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(dd, last));
  return first.toISOString().slice(0, 10);
}

export const noValue = sql`null`;
