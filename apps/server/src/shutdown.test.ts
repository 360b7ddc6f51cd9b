import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testEngine } from './testing/test-db.js';

const MAIN = path.resolve(import.meta.dirname, 'main.ts');

// The process test runs on SQLite only: what it checks (signals, listen, first start) has no engine in it.
describe.runIf(testEngine() === 'sqlite')('the server process', () => {
  it('starts on an empty data dir, serves, and stops within 10 s of SIGTERM with exit code 0', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'qiao-proc-'));
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: { ...process.env, PORT: '0', QIAO_DATA_DIR: dir, QIAO_DEMO: '0', QIAO_JOBS: 'off', DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start: ${out}`)), 20_000);
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = out.match(/serving (http:\/\/[^/\s]+)\//);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });
    expect(out).toMatch(/City administrator: admin {2}password: \S{16,}/);
    const health = await fetch(`${url}/api/health`);
    expect(await health.json()).toMatchObject({ status: 'ok', database: 'sqlite' });
    const ui = await fetch(`${url}/jurisdictions`);
    expect([200, 503]).toContain(ui.status);

    const started = Date.now();
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    await expect(fetch(`${url}/api/health`)).rejects.toThrow();
  });
});
