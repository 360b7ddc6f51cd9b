// `npm test`: the API and unit tests on SQLite, again on PostgreSQL when QIAO_TEST_PG_URL is set,
// and the browser journeys when Chromium is installed. It says what it skipped and why; under
// CI=true a skip is a failure, since a green run without them proves nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureWebBuilt } from './web-build.mjs';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, '.test-results');
mkdirSync(out, { recursive: true });
const ci = process.env.CI === 'true';
const chromium = process.env.QIAO_CHROMIUM ?? '/usr/bin/chromium';
const skipped = [];
const totals = { passed: 0, failed: 0, skipped: 0 };
let ok = true;

function vitest(name, args, env = {}) {
  const file = path.join(out, `${name}.json`);
  const r = spawnSync(
    'npx',
    ['vitest', 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${file}`],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, ...env },
    },
  );
  if (r.status !== 0) ok = false;
  if (existsSync(file)) {
    const report = JSON.parse(readFileSync(file, 'utf8'));
    totals.passed += report.numPassedTests;
    totals.failed += report.numFailedTests;
    totals.skipped += report.numPendingTests + report.numTodoTests;
    if (report.numTotalTests === 0) ok = false;
  } else {
    totals.failed += 1;
  }
}

if (!process.env.QIAO_TEST_PG_URL) {
  skipped.push(
    'PostgreSQL: QIAO_TEST_PG_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/postgres); the suite ran on SQLite only.',
  );
}
vitest('unit-and-api', []);

if (existsSync(chromium)) {
  ensureWebBuilt();
  vitest('e2e', ['--config', 'e2e/vitest.config.ts'], { QIAO_CHROMIUM: chromium });
} else {
  skipped.push(`Browser journeys: no Chromium at ${chromium} (apt-get install -y chromium fonts-noto-cjk).`);
}

for (const s of skipped) console.log(`SKIPPED — ${s}`);
if (ci && skipped.length) {
  console.log('CI=true: a run that skips PostgreSQL or Chromium fails.');
  ok = false;
}
writeFileSync(path.join(out, 'summary.json'), JSON.stringify(totals));
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(ok && totals.failed === 0 ? 0 : 1);
