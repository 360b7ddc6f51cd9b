import type { HardshipCategory } from '@qiao/contracts';
import { forUpdate } from '../../db/dialect.js';
import type { Deps } from '../../platform/deps.js';
import { notFound } from '../../platform/errors.js';
import { inScope } from '../../platform/scope.js';
import type { MarketHouseholds } from './entitlements.service.js';
import { shanghaiDate } from './ledger.js';

/** The supermarket's view of a household: scope, category and whether it may redeem today. */
export function marketHouseholds({ db }: Deps): MarketHouseholds {
  return {
    async load(executor, ctx, id, lock = false) {
      const row = await forUpdate(
        lock ? db.engine : 'sqlite',
        executor
          .selectFrom('households')
          .select(['id', 'jurisdiction_id', 'jurisdiction_path', 'category', 'verified_at', 'valid_until'])
          .where('id', '=', id),
      ).executeTakeFirst();
      if (!row || !inScope(ctx.actor, row.jurisdiction_path)) throw notFound('household');
      const block =
        !row.verified_at || !row.valid_until ? 'unverified' : row.valid_until < shanghaiDate() ? 'expired' : null;
      return {
        id: Number(row.id),
        jurisdictionId: Number(row.jurisdiction_id),
        jurisdictionPath: row.jurisdiction_path,
        category: row.category as HardshipCategory,
        mayRedeem: block === null,
        redeemBlock: block,
      };
    },
  };
}
