import { roles, type Role } from '@qiao/contracts';
import type { Deps } from '../../platform/deps.js';
import { inSubtree, type RequestContext } from '../../platform/scope.js';
import type { UserService } from '../users/users.service.js';

const DAYS = 14;

/** The figures on the home page; each is one grouped query over the caller's subtree. */
export function createOverviewService({ db }: Deps, users: UserService) {
  const kysely = db.kysely;
  return {
    async getOverview(ctx: RequestContext) {
      const levels = await kysely
        .selectFrom('jurisdictions as j')
        .leftJoin('centers as c', 'c.jurisdiction_id', 'j.id')
        .select([
          'j.level',
          (eb) => eb.fn.countAll<number>().as('count'),
          (eb) => eb.fn.count<number>('c.jurisdiction_id').as('centers'),
        ])
        .where(inSubtree('j.path', ctx.actor.scopePath))
        .groupBy('j.level')
        .execute();
      const byLevel = (level: string) => levels.find((l) => l.level === level);
      const usersByRole = Object.fromEntries(roles.map((r) => [r, 0])) as Record<Role, number>;
      for (const r of await users.countUsersByRole(ctx)) usersByRole[r.role as Role] = Number(r.count);

      const since = new Date(Date.now() - (DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
      const audit = await kysely
        .selectFrom('audit_events')
        .select((eb) => [
          eb.fn('substr', ['occurred_at', eb.val(1), eb.val(10)]).as('day'),
          eb.fn.countAll<number>().as('count'),
        ])
        .where(inSubtree('scope_path', ctx.actor.scopePath))
        .where('occurred_at', '>=', since)
        .groupBy('day')
        .execute();
      const counts = new Map(audit.map((a) => [String(a.day), Number(a.count)]));
      const auditByDay = Array.from({ length: DAYS }, (_, i) => {
        const day = new Date(Date.parse(since) + i * 86_400_000).toISOString().slice(0, 10);
        return { day, count: counts.get(day) ?? 0 };
      });
      return {
        jurisdictions: {
          district: Number(byLevel('district')?.count ?? 0),
          subdistrict: Number(byLevel('subdistrict')?.count ?? 0),
          centers: levels.reduce((n, l) => n + Number(l.centers), 0),
        },
        usersByRole,
        auditByDay,
      };
    },
  };
}

export type OverviewService = ReturnType<typeof createOverviewService>;
