import type { HardshipCategory } from '@qiao/contracts';
import type { Db } from '../../db/database.js';
import { needsRowLocks } from '../../db/dialect.js';
import type { HouseholdService } from '../households/households.service.js';
import type { MarketHouseholds } from './entitlements.service.js';

/**
 * The supermarket's view of a household, through the households module: in scope or 404, its
 * category, whether it may redeem today. With `lock`, the household's row is locked first on
 * PostgreSQL, so every sale and grant for one household queues behind the one before.
 */
export function marketHouseholds(db: Db, households: HouseholdService): MarketHouseholds {
  return {
    async load(executor, ctx, id, lock = false) {
      // Scope and lock in one statement: the row is read FOR NO KEY UPDATE on PostgreSQL.
      const h = await households.loadHouseholdInScope(ctx, id, executor, lock && needsRowLocks(db.engine));
      return {
        id: h.id,
        jurisdictionId: h.jurisdictionId,
        jurisdictionPath: h.jurisdictionPath,
        category: h.category as HardshipCategory,
        mayRedeem: h.mayRedeem,
        redeemBlock: h.redeemBlock,
      };
    },

    async *inScope(ctx, jurisdictionId) {
      let cursor: string | undefined;
      do {
        const page = await households.listHouseholds(ctx, { limit: 200, cursor, jurisdictionId });
        for (const h of page.items)
          yield {
            id: h.id,
            jurisdictionId: h.jurisdictionId,
            // Not in the summary; a grant run records its event in the program's (city) scope.
            jurisdictionPath: '',
            category: h.category as HardshipCategory,
            mayRedeem: h.mayRedeem,
            redeemBlock: h.redeemBlock,
          };
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    },
  };
}
