import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, request, type APIRequestContext, type Browser, type Page } from 'playwright-core';

export const ADMIN_PASSWORD = 'E2e-City-Root-Key-42';
const ROOT = path.resolve(import.meta.dirname, '..');
export const ARTIFACTS = path.join(import.meta.dirname, '.artifacts');

export interface Server {
  url: string;
  log: () => string;
  stop(): Promise<void>;
}

/** A real Qiao process on a free port with a fresh SQLite database, as `npm start` runs it. */
export async function startServer(env: Record<string, string> = {}): Promise<Server> {
  const dir = mkdtempSync(path.join(tmpdir(), 'qiao-e2e-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'apps/server/src/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      QIAO_DATA_DIR: dir,
      DATABASE_URL: '',
      QIAO_DEMO: '0',
      QIAO_JOBS: 'off',
      QIAO_ADMIN_USERNAME: 'admin',
      QIAO_ADMIN_PASSWORD: ADMIN_PASSWORD,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${out}`)), 60_000);
    const poll = setInterval(() => {
      const m = out.match(/serving (http:\/\/[^/\s]+)\//);
      if (m) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve(m[1]!);
      }
    }, 50);
    child.on('exit', (code) => reject(new Error(`the server exited (${code}):\n${out}`)));
  });
  return {
    url,
    log: () => out,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.on('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Debian's Chromium with the flags this machine needs (no sandbox as root, no background network). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.QIAO_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * Collects console errors, page errors and failed API answers, so a journey fails on a broken page
 * even when its steps "work". The one expected failure is the 401 of GET /api/auth/me before sign-in.
 */
export function watchPage(page: Page): { problems: string[] } {
  const problems: string[] = [];
  page.on('console', (m) => {
    // The browser logs every 4xx/5xx as "Failed to load resource"; responses are judged below instead.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => {
    const expected =
      r.status() === 401 && r.request().method() === 'GET' && new URL(r.url()).pathname === '/api/auth/me';
    if (r.status() >= 400 && !expected) problems.push(`HTTP ${r.status()} ${r.request().method()} ${r.url()}`);
  });
  return { problems };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** What a journey opens once: a server, Chromium, and the city admin signed in over the API. */
export interface Journey {
  server: Server;
  browser: Browser;
  admin: APIRequestContext;
  /** The admin session's CSRF token, for writes through `admin`. */
  csrf: string;
}

export async function openJourney(env: Record<string, string> = {}): Promise<Journey> {
  const server = await startServer(env);
  const browser = await launchBrowser();
  const admin = await request.newContext({ baseURL: server.url });
  const login = await admin.post('/api/auth/login', { data: { username: 'admin', password: ADMIN_PASSWORD } });
  if (login.status() !== 200) throw new Error(`the admin could not sign in: ${login.status()} ${await login.text()}`);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return { server, browser, admin, csrf: csrfToken };
}

/** Closes what openJourney opened; safe when it failed halfway (the parts may be undefined). */
export async function closeJourney(parts: Partial<Journey>): Promise<void> {
  await parts.admin?.dispose();
  await parts.browser?.close();
  await parts.server?.stop();
}

/** Fills and sends the sign-in form on the page already showing it. */
export async function fillSignIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

/** A valid resident ID number (GB 11643) from its first 17 digits: appends the MOD 11-2 check character. */
export function idNumber(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((acc, d, i) => acc + Number(d) * weights[i]!, 0);
  return first17 + '10X98765432'[sum % 11]!;
}
