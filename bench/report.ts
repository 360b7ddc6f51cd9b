import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { GeneratedCity } from './generate.js';
import type { ImportRow } from './registry/import-scenario.js';
import type { Measurement } from './load.js';

export interface Row {
  scenario: string;
  engine: string;
  connections: number;
  app: Measurement;
  baseline: Measurement;
  /** app ÷ baseline req/s of each pair of alternating slices. */
  ratios: number[];
}

export interface RunInfo {
  date: Date;
  smoke: boolean;
  seconds: number;
  warmup: number;
  slice: number;
  rounds: number;
  /** 1-minute load average when the run started: other work on the machine. */
  loadAverage: number;
  engines: { engine: string; version: string; city: GeneratedCity }[];
  wallSeconds: number;
  /** The import scenario's runs, one per engine. */
  imports: ImportRow[];
}

const ms = (m: Measurement) => [m.p50, m.p95, m.p99].map((v) => v.toFixed(1)).join(' / ');
const rps = (m: Measurement) => Math.round(m.rps).toLocaleString('en-US');
/** The median pair ratio (a burst of outside load spoils one pair, not the figure) and the range. */
function ratio(r: Row): string {
  const sorted = [...r.ratios].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return `${median.toFixed(2)} (${sorted[0]!.toFixed(2)}–${sorted.at(-1)!.toFixed(2)})`;
}

const headers = [
  'scenario',
  'engine',
  'conns',
  'req/s (app)',
  'req/s (baseline)',
  'app/baseline median (range)',
  'app p50/p95/p99 ms',
  'baseline p50/p95/p99 ms',
];

function cells(r: Row): string[] {
  return [
    r.scenario,
    r.engine,
    String(r.connections),
    rps(r.app),
    rps(r.baseline),
    ratio(r),
    ms(r.app),
    ms(r.baseline),
  ];
}

/** The table as aligned text for the terminal. */
export function textTable(rows: Row[]): string {
  const all = [headers, ...rows.map(cells)];
  const widths = headers.map((_, i) => Math.max(...all.map((line) => [...line[i]!].length)));
  const line = (c: string[]) => c.map((v, i) => (i < 3 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(cells).map(line)].join('\n');
}

function markdownTableOf(head: string[], body: string[][], textColumns = 1): string {
  const line = (c: string[]) => `| ${c.join(' | ')} |`;
  const align = head.map((_, i) => (i < textColumns ? '---' : '---:'));
  return [line(head), line(align), ...body.map(line)].join('\n');
}

function markdownTable(rows: Row[]): string {
  return markdownTableOf(headers, rows.map(cells), 3);
}

function machine(): string {
  const cpus = os.cpus();
  const gib = (os.totalmem() / 1024 ** 3).toFixed(1);
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${gib} GiB memory, ${os.type()} ${os.release()}, Node.js ${process.version}`;
}

function dataSizes(info: RunInfo): string[] {
  // The organization scenarios sign in as the same district officer: their scope is the district.
  return info.engines.map(({ engine, version, city }) => {
    const rows = Object.entries(city.rows)
      .map(([table, n]) => `${n.toLocaleString('en-US')} ${table}`)
      .join(', ');
    const o = city.officer;
    const steps = Object.entries(city.stepSeconds)
      .map(([step, s]) => `${step} ${s.toFixed(1)} s`)
      .join(', ');
    const lengths = new Map<number, number>();
    for (const q of city.searchQueries) lengths.set([...q].length, (lengths.get([...q].length) ?? 0) + 1);
    const mix = [...lengths]
      .sort(([a], [b]) => a - b)
      .map(([n, count]) => `${count} of ${n}`)
      .join(', ');
    return (
      `- **${engine}** (${version}): ${rows}; generated in ${city.seconds.toFixed(1)} s (${steps}). ` +
      `The search scenario rotates over ${city.searchQueries.length} queries taken from generated names (${mix} characters), ` +
      `for example ${city.searchQueries
        .slice(0, 6)
        .map((q) => `\`${q}\``)
        .join(', ')}. ` +
      `The scoped list signs in as \`${o.username}\`, district officer of ${o.district}: ` +
      `${o.usersInScope.toLocaleString('en-US')} users in scope; login rotates over ${city.loginUsernames.length} accounts.`
    );
  });
}

const n = (v: number) => Math.round(v).toLocaleString('en-US');

const importHeaders = [
  'engine',
  'rows',
  'app rows/s (first import)',
  'baseline rows/s',
  'app/baseline',
  'app rows/s (re-import, unchanged)',
  'app peak RSS MB',
  'baseline peak RSS MB',
];

function importCells(r: ImportRow): string[] {
  return [
    r.engine,
    n(r.rows),
    n(r.first.rowsPerSecond),
    n(r.baseline.rowsPerSecond),
    (r.first.rowsPerSecond / r.baseline.rowsPerSecond).toFixed(2),
    n(r.again.rowsPerSecond),
    String(r.appPeakRssMb),
    String(r.baseline.peakRssMb),
  ];
}

/** The import scenario for the terminal. */
export function importTable(rows: ImportRow[]): string {
  return [importHeaders, ...rows.map(importCells)].map((c) => c.join(' | ')).join('\n');
}

const IMPORT_START = '<!-- import:start -->';
const IMPORT_END = '<!-- import:end -->';

/** The import section of RESULTS.md, between markers so an import-only run can replace it alone. */
function importSection(rows: ImportRow[], when: string, wallSeconds: number): string {
  const detail = rows
    .map(
      (r) =>
        `- **${r.engine}**: ${n(r.rows)} rows (${(r.bytes / 1e6).toFixed(1)} MB CSV); first import ${r.first.seconds.toFixed(1)} s ` +
        `(created ${n(r.first.created)}, rejected ${n(r.first.rejected)}), re-import ${r.again.seconds.toFixed(1)} s ` +
        `(unchanged ${n(r.again.unchanged)}); baseline ${r.baseline.seconds.toFixed(1)} s for ${n(r.baseline.inserted)} rows; ` +
        `load average ${r.loadAverage.toFixed(1)} at its start.`,
    )
    .join('\n');
  return `${IMPORT_START}
## Import (importRegistry)

Measured ${when} UTC (${Math.round(wallSeconds)} s for the whole run). Issue 3's target: at least 20,000 rows/s with the
process under 300 MB RSS. A generated bureau file (every 1,000th row invalid) is imported into a fresh database
by the whole app over HTTP, then imported again (every row unchanged). The baseline is a bare driver insert loop
(better-sqlite3 / \`pg\`) of the same rows into another fresh database of the same schema, with the importer's
sizes (500 rows a statement, 2,000 a transaction) and its way of writing the name postings (deferred, then
set-based every 100,000 rows; ADR 0014), so its indexes and search upkeep cost it the same: it writes no versions
or audit and reads no file. Each side runs in its own forked process, the app with \`npm start\`'s heap limit;
peak RSS is the kernel's maxRSS of that process (startup included). One run each, baseline first: not
alternated, so read the ratio as soft.

${markdownTableOf(importHeaders, rows.map(importCells))}

${detail}
${IMPORT_END}`;
}

/** RESULTS.md: the table, the machine, the data, and how to read it. */
export function writeResults(file: string, rows: Row[], info: RunInfo): void {
  const when = info.date.toISOString().slice(0, 16).replace('T', ' ');
  const section = info.imports.length ? importSection(info.imports, when, info.wallSeconds) : '';
  if (!rows.length) {
    // An import-only run replaces the import section and keeps the load scenarios' results.
    const before = existsSync(file) ? readFileSync(file, 'utf8') : '# Qiao benchmark results\n';
    const start = before.indexOf(IMPORT_START);
    const end = before.indexOf(IMPORT_END);
    const text =
      start >= 0 && end > start
        ? before.slice(0, start) + section + before.slice(end + IMPORT_END.length)
        : `${before.trimEnd()}\n\n${section}\n`;
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    return;
  }
  const text = `# Qiao benchmark results

${info.smoke ? '**Smoke run** (tiny data, short runs): a check that the bench works, not a measurement.\n\n' : ''}\
Measured ${when} UTC with \`npm run bench${info.smoke ? ' -- --smoke' : ''}\` in ${Math.round(info.wallSeconds)} s. \
Each side of each scenario was warmed up for ${info.warmup} s, then measured for ${info.rounds} × ${info.slice} s, \
app and baseline taking turns.

${markdownTable(rows)}

Measured by their own scripts: the risk scan at 10^6 organizations in [risk/RESULTS.md](risk/RESULTS.md).

${section}

## Machine

${machine()}. The 1-minute load average was ${info.loadAverage.toFixed(1)} when the run started \
(near or above the core count, other work competed with the bench and the figures are softer).

The load generator (autocannon, keep-alive connections over loopback) runs in the bench process;
the app and the baseline run in one forked child process, each on its own port, never both under load.

## Data

${dataSizes(info).join('\n')}

## How to read the ratio

Read **app/baseline**, not the raw req/s. The baseline is a bare Fastify route (no plugins, hooks or
schemas) in the same process as the app, on the same database file or server, running the same SQL
(and, for login, the same user lookup and argon2id verify). The app is the whole Qiao stack: helmet,
cookies, rate limiting, the auth hook resolving the session, zod validation and serialization, the
service, Kysely, and for login the session insert and the audit-chain write. So the ratio is what
Qiao's own layers cost: 1.00 would mean they are free, 0.50 that the app serves half of what the bare
driver could. The machines are shared and noisy, so raw req/s move by tens of percent between runs;
because app and baseline alternate in short slices, noise weighs on both and the ratio moves much
less. The figure is the median over the pairs of slices (app req/s ÷ baseline req/s in adjacent
slices), so a burst of outside load that spoils one pair does not move it; the range in brackets is
the lowest and highest pair: a wide range means a busy machine and a soft figure. Compare a scenario's ratio across commits to spot a regression;
a ratio above 1.00 is noise. Latencies (milliseconds) are per request at the stated number of
connections, so they include queueing; a p99 far above the p95 usually means a GC pause or a lock wait.
`;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}
