import { Command, Option } from 'commander';
import { roles, type Role } from '@qiao/contracts';
import { loadConfig } from './config.js';
import { migrate, openDatabase, type Db } from './db/database.js';
import { createUserService } from './modules/users/users.service.js';
import { verifyAuditChain } from './platform/audit/verify-chain.js';
import { Keyring } from './platform/crypto.js';
import type { Deps } from './platform/deps.js';
import { DomainError } from './platform/errors.js';
import { systemActor } from './platform/scope.js';
import { backupAll, verifyBackup } from './setup/backup.js';
import { generatePassword } from './setup/generate-password.js';
import { seedDemo } from './setup/demo.js';
import { firstRun } from './setup/first-run.js';
import { APP_VERSION } from './version.js';

const print = (line: string) => console.log(line);

/** Opens the configured database, migrated and set up, runs `fn`, and always closes it. */
async function withDeps<T>(fn: (deps: Deps) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db: Db = openDatabase(config.database);
  try {
    await migrate(db);
    const deps = { db, config, keyring: new Keyring(config.secret) };
    await firstRun({ ...deps, config: { ...config, demo: false } }, print);
    return await fn(deps);
  } finally {
    await db.close();
  }
}

async function root(db: Db) {
  return db.kysely
    .selectFrom('jurisdictions')
    .select(['id', 'path', 'code'])
    .where('parent_id', 'is', null)
    .executeTakeFirstOrThrow();
}

const program = new Command('qiao').description('Qiao (桥) — command line').version(APP_VERSION);

program
  .command('migrate')
  .description('apply pending database migrations')
  .action(async () => {
    const config = loadConfig();
    const db = openDatabase(config.database);
    try {
      const applied = await migrate(db);
      print(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
    } finally {
      await db.close();
    }
  });

program
  .command('seed')
  .description('add demo data to the database')
  .requiredOption('--demo', 'the demo city: 3 districts, 6 subdistricts with centers, staff accounts')
  .action(() =>
    withDeps(async (deps) => {
      const r = await root(deps.db);
      const districts = await deps.db.kysely
        .selectFrom('jurisdictions')
        .select('id')
        .where('level', '=', 'district')
        .executeTakeFirst();
      if (districts) return print('The city already has districts; the demo seeds an empty city only.');
      await seedDemo(deps, r, print);
    }),
  );

program
  .command('user')
  .description('manage accounts')
  .command('create')
  .description('create an account (the password is printed once when generated)')
  .requiredOption('--username <name>')
  .requiredOption('--display-name <name>')
  .addOption(new Option('--role <role>').choices(roles).makeOptionMandatory())
  .option('--jurisdiction <code>', 'division code of the jurisdiction (default: the city)')
  .option('--department <id>', 'department id, for department officers')
  .option('--password <password>', 'otherwise a strong one is generated')
  .action(
    (opts: {
      username: string;
      displayName: string;
      role: Role;
      jurisdiction?: string;
      department?: string;
      password?: string;
    }) =>
      withDeps(async (deps) => {
        const r = await root(deps.db);
        const code = opts.jurisdiction ?? r.code;
        const j = await deps.db.kysely
          .selectFrom('jurisdictions')
          .select('id')
          .where('code', '=', code)
          .executeTakeFirst();
        if (!j) throw new Error(`No jurisdiction has the code ${code}.`);
        const password = opts.password ?? generatePassword();
        const user = await createUserService(deps).createUser(
          { actor: systemActor(r, 'cli'), requestId: null, ip: null },
          {
            username: opts.username,
            password,
            displayName: opts.displayName,
            role: opts.role,
            jurisdictionId: j.id,
            departmentId: opts.department ? Number(opts.department) : undefined,
          },
        );
        print(`Created ${user.username} (${user.role}, id ${user.id}).`);
        if (!opts.password) print(`Password (shown once): ${password}`);
      }),
  );

program
  .command('audit')
  .description('the audit trail')
  .command('verify')
  .description('re-hash the whole audit chain and name the first broken link')
  .action(() =>
    withDeps(async ({ db }) => {
      const report = await verifyAuditChain(db.kysely);
      if (report.ok) return print(`Audit chain intact: ${report.checked} events checked.`);
      print(`Audit chain BROKEN at event ${report.brokenAt} (${report.checked} events before it are intact).`);
      process.exitCode = 1;
    }),
  );

program
  .command('backup')
  .description(
    'back up the database, every folder of stored files and the generated secret into one new folder with a manifest of digests',
  )
  .argument('[dir]', 'a new folder for the backup (default: QIAO_DATA_DIR/backups/qiao-<time>)')
  .action(async (dir?: string) => {
    const { dir: done, manifest } = await backupAll(loadConfig(), dir);
    const bytes = manifest.files.reduce((n, f) => n + f.bytes, 0);
    print(`Backed up to ${done}: ${manifest.files.length} files, ${(bytes / 1048576).toFixed(1)} MB.`);
    if (manifest.secret !== 'secret.key') print(`The secret is not in it: keep QIAO_SECRET with the backup, apart.`);
  });

program
  .command('verify-backup')
  .description('check a backup folder against its manifest: every file present, unchanged, nothing added')
  .argument('<dir>', 'the backup folder')
  .action(async (dir: string) => {
    const problems = await verifyBackup(dir);
    if (problems.length === 0) return print(`Backup intact: ${dir}`);
    for (const p of problems) print(p);
    process.exitCode = 1;
  });

program.parseAsync().catch((error: unknown) => {
  if (error instanceof DomainError) {
    console.error(
      `${error.message}${error.errors ? ' ' + error.errors.map((e) => `${e.field}: ${e.message}`).join('; ') : ''}`,
    );
  } else {
    console.error(error instanceof Error ? error.message : error);
  }
  process.exitCode = 1;
});
