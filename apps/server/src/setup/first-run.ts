import { usernameSchema } from '@qiao/contracts';
import { nowIso } from '../db/database.js';
import { createUserService } from '../modules/users/users.service.js';
import { checkPasswordPolicy } from '../platform/auth/passwords.js';
import { systemActor } from '../platform/scope.js';
import type { Deps } from '../platform/deps.js';
import { anonymousContext, recordAudit } from '../platform/audit/audit-log.js';
import { generatePassword } from './generate-password.js';
import { seedDemo } from './demo.js';

export interface Printer {
  (line: string): void;
}

/**
 * On an empty database: the city (root jurisdiction), its first administrator and, outside
 * production, a demo city. Passwords that were generated are printed once and never stored.
 */
export async function firstRun(deps: Deps, print: Printer): Promise<void> {
  const { db, config } = deps;
  const existing = await db.kysely
    .selectFrom('jurisdictions')
    .select('id')
    .where('parent_id', 'is', null)
    .executeTakeFirst();
  if (existing) return;
  // Check the administrator first: a city without its administrator could never be entered.
  const username = config.adminUsername ?? 'admin';
  const password = config.adminPassword ?? generatePassword();
  const problems = [
    ...(usernameSchema.safeParse(username).error?.issues.map((i) => `username: ${i.message}`) ?? []),
    ...checkPasswordPolicy(password, username).map((e) => e.message),
  ];
  if (problems.length) throw new Error(`QIAO_ADMIN_USERNAME/QIAO_ADMIN_PASSWORD rejected: ${problems.join('; ')}`);

  const root = await db.kysely.transaction().execute(async (trx) => {
    const now = nowIso();
    const { id } = await trx
      .insertInto('jurisdictions')
      .values({
        parent_id: null,
        level: 'city',
        name: config.cityName,
        name_en: null,
        code: config.cityCode,
        path: 'pending:root',
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const path = `/${id}/`;
    await trx.updateTable('jurisdictions').set({ path }).where('id', '=', id).execute();
    await recordAudit(trx, anonymousContext('system'), {
      action: 'jurisdiction.create',
      entityType: 'jurisdiction',
      entityId: id,
      jurisdiction: { id, path },
      changes: [
        { field: 'name', before: null, after: config.cityName },
        { field: 'code', before: null, after: config.cityCode },
      ],
    });
    return { id, path, code: config.cityCode };
  });

  await createUserService(deps).createUser(
    { actor: systemActor(root), requestId: null, ip: null },
    { username, password, displayName: '系统管理员', role: 'city_admin', jurisdictionId: root.id },
  );
  print(`Created the city ${config.cityName} (${config.cityCode}).`);
  if (config.adminPassword) {
    print(`City administrator: ${username} (password from QIAO_ADMIN_PASSWORD).`);
  } else {
    print(`City administrator: ${username}  password: ${password}`);
    print('This password is shown once. Sign in and change it under My account.');
  }
  if (config.demo) await seedDemo(deps, root, print);
}
