import { CompiledQuery, type Compilable, type Kysely, type QueryResult } from 'kysely';
import type { Executor } from './database.js';
import type { Database } from './schema.js';

// Statements of a fixed shape, built with Kysely's typed builder ONCE per engine and then run with
// fresh values. Kysely builds an operation tree and compiles it to SQL on every execution; on a
// cheap write path (the till: ~15 statements a sale) that was about 40 % of the request's CPU
// (ADR 0011, ADR 0015). The builder still checks the table and column names and gives the row
// type; only the values change between runs, so the SQL text is compiled once and reused.

/** Where a value comes from at run time: `args[name]`, `args[name][index]` or `args[name][index][field]`. */
class Slot {
  constructor(
    readonly name: string,
    readonly index?: number,
    readonly field?: string,
  ) {}
  read(args: Record<string, unknown>): unknown {
    let v = args[this.name];
    if (this.index !== undefined) v = (v as unknown[])[this.index];
    if (this.field !== undefined) v = (v as Record<string, unknown>)[this.field];
    // SQL NULL for an absent value, as Kysely's builder would send for `null`.
    return v === undefined ? null : v;
  }
}

/**
 * Placeholders handed to a statement's builder. Their type is the value's, so the builder checks
 * them against the column as it would a real value; at compile time each becomes one parameter.
 */
export interface Placeholders<A> {
  /** The value of `args[name]`. */
  <K extends keyof A & string>(name: K): A[K];
  /** The `index`-th element of the list `args[name]` (an IN list of `shape` elements). */
  at<K extends keyof A & string>(name: K, index: number): A[K] extends readonly (infer E)[] ? E : never;
  /** `field` of the `index`-th row of `args[name]` (a multi-row insert of `shape` rows). */
  field<K extends keyof A & string, F extends string>(
    name: K,
    index: number,
    field: F,
  ): A[K] extends readonly (infer E)[] ? (F extends keyof E ? E[F] : never) : never;
  /**
   * A row of placeholders for an insert: each of `columns` of `args[name]`, or of its `index`-th
   * row when `args[name]` is a list. Typed as just those columns, so the builder refuses a list
   * that leaves out a required one.
   */
  row<K extends keyof A & string, C extends keyof RowOf<A[K]> & string>(
    name: K,
    columns: readonly C[],
    index?: number,
  ): Pick<RowOf<A[K]>, C>;
}

type RowOf<V> = V extends readonly (infer E)[] ? E : V;

function placeholders<A>(): Placeholders<A> {
  const p = ((name: string) => new Slot(name)) as unknown as Placeholders<A>;
  p.at = ((name: string, index: number) => new Slot(name, index)) as never;
  p.field = ((name: string, index: number, field: string) => new Slot(name, index, field)) as never;
  p.row = ((name: string, columns: readonly string[], index?: number) =>
    Object.fromEntries(columns.map((c) => [c, new Slot(name, index, c)]))) as never;
  return p;
}

interface Compiled {
  sql: string;
  read: ((args: Record<string, unknown>) => unknown)[];
}

export interface Prepared<A, R> {
  /** Runs the statement in `executor` (a transaction or the database) with these values. */
  execute(executor: Executor, args: A, shape?: number): Promise<R[]>;
  /** The first row, or undefined. */
  first(executor: Executor, args: A, shape?: number): Promise<R | undefined>;
  /** The whole result (rows, affected rows, insert id). */
  result(executor: Executor, args: A, shape?: number): Promise<QueryResult<R>>;
}

/**
 * A statement compiled once per database handle (so per engine) and `shape` — the length of its IN
 * list or its number of rows, for statements whose text varies only by that. Names and structure
 * come from code; every value comes from `args` as a bound parameter, never spliced into the text.
 *
 *   const byKey = prepare<{ actorId: number; key: string }, …>((k, p) =>
 *     k.selectFrom('checkouts').select('receipt_no').where('actor_id', '=', p('actorId')) …);
 *   const row = await byKey.first(trx, { actorId, key });
 */
export function prepare<A extends Record<string, unknown>, R>(
  build: (k: Kysely<Database>, p: Placeholders<A>, shape: number) => Compilable<R>,
): Prepared<A, R> {
  // Keyed by the executor's adapter: one per Kysely instance, shared by its transactions.
  const compiled = new WeakMap<object, Map<number, Compiled>>();
  const p = placeholders<A>();

  function compile(executor: Executor, shape: number): Compiled {
    const adapter = executor.getExecutor().adapter as object;
    let byShape = compiled.get(adapter);
    if (!byShape) compiled.set(adapter, (byShape = new Map()));
    let c = byShape.get(shape);
    if (!c) {
      const query = build(executor as Kysely<Database>, p, shape).compile();
      c = {
        sql: query.sql,
        // A constant of the statement (say the 1 of `last + 1`) stays as Kysely compiled it.
        read: query.parameters.map((v) => (v instanceof Slot ? (args) => v.read(args) : () => v)),
      };
      byShape.set(shape, c);
    }
    return c;
  }

  async function result(executor: Executor, args: A, shape = 0): Promise<QueryResult<R>> {
    const c = compile(executor, shape);
    const values = new Array<unknown>(c.read.length);
    for (let i = 0; i < values.length; i++) values[i] = c.read[i]!(args);
    return executor.executeQuery<R>(CompiledQuery.raw(c.sql, values) as CompiledQuery<R>);
  }

  return {
    result,
    execute: async (executor, args, shape) => (await result(executor, args, shape)).rows,
    first: async (executor, args, shape) => (await result(executor, args, shape)).rows[0],
  };
}
