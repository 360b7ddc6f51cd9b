import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { roles, type Role } from '@qiao/contracts';

export type DatabaseConfig = { engine: 'sqlite'; file: string } | { engine: 'postgres'; url: string };

export interface Config {
  env: 'production' | 'development' | 'test';
  port: number;
  host: string;
  database: DatabaseConfig;
  dataDir: string;
  cityName: string;
  cityCode: string;
  adminUsername?: string;
  adminPassword?: string;
  demo: boolean;
  secret: string;
  mfaRoles: Role[];
  jobs: boolean;
  loginRatePerMinute: number;
  /** Public applications per IP address per minute. */
  applyRatePerMinute: number;
  /** Largest uploaded document, in bytes. */
  maxUploadBytes: number;
  /** Largest registry file an import or reconciliation accepts, in MB (its own limit, apart from the 1 MB JSON bodies). */
  importMaxMb: number;
  /** Days a finished background import's row and rejected rows are kept before the daily clean-up removes them. */
  importJobRetentionDays: number;
  /** Behind a reverse proxy: client IP and https come from X-Forwarded-*. */
  trustProxy: boolean;
  /** SMTP server for email notifications (smtp(s)://user:pass@host:port); none = no email channel. */
  smtpUrl?: string;
  mailFrom: string;
  webDist: string;
  logLevel: string;
}

const envSchema = z.object({
  NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.string().optional(),
  QIAO_DATA_DIR: z.string().default('./data'),
  QIAO_CITY_NAME: z.string().min(1).default('上海市'),
  QIAO_CITY_CODE: z
    .string()
    .regex(/^\d{6}$/, 'QIAO_CITY_CODE must be 6 digits')
    .default('310000'),
  QIAO_ADMIN_USERNAME: z.string().optional(),
  QIAO_ADMIN_PASSWORD: z.string().optional(),
  QIAO_DEMO: z.enum(['0', '1']).optional(),
  QIAO_SECRET: z.string().min(32, 'QIAO_SECRET must be at least 32 characters').optional(),
  QIAO_MFA_ROLES: z.string().optional(),
  QIAO_JOBS: z.enum(['on', 'off']).default('on'),
  QIAO_LOGIN_RATE_PER_MINUTE: z.coerce.number().int().min(30).default(60),
  QIAO_APPLY_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  QIAO_MAX_UPLOAD_MB: z.coerce.number().int().min(1).max(100).default(10),
  QIAO_IMPORT_MAX_MB: z.coerce.number().int().min(1).max(10_240).default(200),
  QIAO_IMPORT_JOB_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  QIAO_LOG_LEVEL: z.string().default('info'),
  QIAO_TRUST_PROXY: z.enum(['0', '1']).default('0'),
  QIAO_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/\S+$/, 'QIAO_SMTP_URL must be smtp://… or smtps://…')
    .optional(),
  QIAO_MAIL_FROM: z.string().min(3).default('Qiao <qiao@localhost>'),
});

/** Reads the environment into a typed config; throws a readable message naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.QIAO_DATA_DIR);
  const production = e.NODE_ENV === 'production';
  if (production && !e.QIAO_SECRET) throw new Error('Invalid configuration:\n  QIAO_SECRET is required in production');
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    database: parseDatabaseUrl(e.DATABASE_URL, dataDir),
    dataDir,
    cityName: e.QIAO_CITY_NAME,
    cityCode: e.QIAO_CITY_CODE,
    adminUsername: e.QIAO_ADMIN_USERNAME || undefined,
    adminPassword: e.QIAO_ADMIN_PASSWORD || undefined,
    demo: e.QIAO_DEMO ? e.QIAO_DEMO === '1' : !production,
    secret: e.QIAO_SECRET ?? persistedSecret(dataDir),
    mfaRoles: parseMfaRoles(e.QIAO_MFA_ROLES, production),
    jobs: e.QIAO_JOBS === 'on',
    loginRatePerMinute: e.QIAO_LOGIN_RATE_PER_MINUTE,
    applyRatePerMinute: e.QIAO_APPLY_RATE_PER_MINUTE,
    maxUploadBytes: e.QIAO_MAX_UPLOAD_MB * 1024 * 1024,
    importMaxMb: e.QIAO_IMPORT_MAX_MB,
    importJobRetentionDays: e.QIAO_IMPORT_JOB_RETENTION_DAYS,
    trustProxy: e.QIAO_TRUST_PROXY === '1',
    smtpUrl: e.QIAO_SMTP_URL || undefined,
    mailFrom: e.QIAO_MAIL_FROM,
    webDist: path.resolve(import.meta.dirname, '../../web/dist'),
    logLevel: e.QIAO_LOG_LEVEL,
  };
}

export function parseDatabaseUrl(url: string | undefined, dataDir: string): DatabaseConfig {
  if (!url) return { engine: 'sqlite', file: path.join(dataDir, 'qiao.db') };
  if (url.startsWith('file:')) return { engine: 'sqlite', file: path.resolve(url.slice('file:'.length)) };
  if (/^postgres(ql)?:\/\//.test(url)) return { engine: 'postgres', url };
  throw new Error('Invalid configuration:\n  DATABASE_URL must be file:PATH or postgres://…');
}

function parseMfaRoles(value: string | undefined, production: boolean): Role[] {
  if (value === undefined) return production ? ['city_admin', 'district_officer'] : [];
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(roles as readonly string[]).includes(n));
  if (unknown.length)
    throw new Error(`Invalid configuration:\n  QIAO_MFA_ROLES has unknown roles: ${unknown.join(', ')}`);
  return names as Role[];
}

/** Outside production the secret is generated once and kept beside the data, so restarts keep sessions valid. */
function persistedSecret(dataDir: string): string {
  const file = path.join(dataDir, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
  return secret;
}
