import { z } from 'zod';
import { hardshipCategories } from './households.js';
import { dateSchema, textBlock, textLine } from './text.js';

// The charity supermarket: stores, the city-wide catalogue, the stock ledger, donations,
// entitlement programs, the points ledger and the till.

/** An id inside a JSON body: a JSON number, never a string, a boolean or a fraction. */
export const bodyId = z
  .number({ message: 'must be a positive integer' })
  .int({ message: 'must be a positive integer' })
  .positive({ message: 'must be a positive integer' })
  .max(Number.MAX_SAFE_INTEGER);

/** Units of goods: whole units as the item's `unit` names them (bags, bottles, kg packs). */
export const MAX_QUANTITY = 100_000;
export const quantitySchema = z
  .number({ message: 'must be a whole number' })
  .int({ message: 'must be a whole number' })
  .min(1, { message: 'must be at least 1' })
  .max(MAX_QUANTITY, { message: `at most ${MAX_QUANTITY}` });

/** Money in fen (1/100 yuan), up to ten million yuan in one entry. */
export const amountFenSchema = z
  .number({ message: 'must be a whole number of fen' })
  .int({ message: 'must be a whole number of fen' })
  .min(1, { message: 'must be at least 1 fen' })
  .max(1_000_000_000, { message: 'at most 10,000,000 yuan' });

export const pointsSchema = z
  .number({ message: 'must be a whole number of points' })
  .int({ message: 'must be a whole number of points' })
  .min(1, { message: 'must be at least 1' })
  .max(1_000_000, { message: 'at most 1,000,000' });

// ---- EAN-13 -------------------------------------------------------------------------------------

/** True for 13 digits whose last is the GS1 check digit of the first 12 (weights 1,3,1,3…). */
export function isValidEan13(code: string): boolean {
  if (!/^\d{13}$/.test(code)) return false;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(code[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10 === Number(code[12]);
}

export const ean13Schema = z
  .string()
  .max(64)
  .transform((v) => v.normalize('NFKC').replace(/\s+/g, ''))
  .refine(isValidEan13, {
    message: 'not a valid EAN-13 barcode (13 digits with a correct check digit)',
    params: { code: 'invalid_ean13' },
  })
  .meta({ examples: ['6901234567892'] });

// ---- Stores -------------------------------------------------------------------------------------

export const createStoreBody = z.strictObject({ name: textLine(100), jurisdictionId: bodyId });
export type CreateStoreBody = z.infer<typeof createStoreBody>;

export const store = z.object({
  id: z.number(),
  name: z.string(),
  jurisdictionId: z.number(),
  jurisdictionName: z.string(),
  createdAt: z.string(),
});
export type Store = z.infer<typeof store>;

export const listStoresQuery = z.strictObject({
  jurisdictionId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
});

// ---- Catalogue ----------------------------------------------------------------------------------

export const createItemBody = z.strictObject({
  name: textLine(100),
  unit: textLine(20),
  pointsPrice: z
    .number({ message: 'must be a whole number of points' })
    .int({ message: 'must be a whole number of points' })
    .min(0, { message: 'cannot be negative' })
    .max(100_000, { message: 'at most 100,000' }),
  category: textLine(50),
  barcode: ean13Schema.optional(),
  /** Receipts of the item carry a lot with its expiry date; goods go out first-expiry-first-out. */
  tracksExpiry: z.boolean().optional(),
});
export type CreateItemBody = z.infer<typeof createItemBody>;

export const item = z.object({
  id: z.number(),
  name: z.string(),
  unit: z.string(),
  pointsPrice: z.number(),
  category: z.string(),
  barcode: z.string().nullable(),
  tracksExpiry: z.boolean(),
  createdAt: z.string(),
});
export type Item = z.infer<typeof item>;

/** Switching expiry tracking on or off: only while no store holds the item (409 otherwise). */
export const updateItemBody = z.strictObject({ tracksExpiry: z.boolean() });

export const listItemsQuery = z.strictObject({
  q: textLine(50).optional(),
  barcode: textLine(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

// ---- Stock ledger -------------------------------------------------------------------------------

export const movementKinds = [
  'donation_in',
  'purchase_in',
  'transfer_out',
  'transfer_in',
  'redemption_out',
  'adjustment',
  'write_off',
  'reversal',
  /** Goods a household brought back from a sale (reference `return:<checkout id>`). */
  'return_in',
] as const;
export type MovementKind = (typeof movementKinds)[number];

export const goodsLine = z.strictObject({ itemId: bodyId, quantity: quantitySchema });
export const goodsLines = z.array(goodsLine).min(1, { message: 'at least one line' }).max(100);

// ---- Lots (ADR 0016) ----------------------------------------------------------------------------

/** The producer's lot code printed on the goods (optional). */
export const lotCodeSchema = textLine(40);

/** Goods in of an item that tracks expiry carry their expiry date (required then) and lot code. */
export const goodsInLine = z.strictObject({
  itemId: bodyId,
  quantity: quantitySchema,
  expiresOn: dateSchema.optional(),
  lotCode: lotCodeSchema.optional(),
});
/** Goods out may name the lot they take (a write-off of an expired lot does); else first-expiry-first-out. */
export const goodsOutLine = z.strictObject({ itemId: bodyId, quantity: quantitySchema, lotId: bodyId.optional() });

/** "Lots expiring soon": within this many days unless the request says otherwise. */
export const DEFAULT_EXPIRING_WITHIN_DAYS = 30;
const expiringWithinDays = z.coerce.number().int().min(0).max(365);

export const stockLot = z.object({
  id: z.number(),
  storeId: z.number(),
  itemId: z.number(),
  itemName: z.string(),
  unit: z.string(),
  /** The last Asia/Shanghai day the goods may be handed out. */
  expiresOn: z.string(),
  lotCode: z.string().nullable(),
  onHand: z.number(),
  /** Days from today (Asia/Shanghai) to the expiry date; negative once expired. */
  daysLeft: z.number(),
  expired: z.boolean(),
});
export type StockLot = z.infer<typeof stockLot>;

export const listLotsQuery = z.strictObject({
  /** Only lots expiring within this many days (expired ones included); all lots with stock otherwise. */
  expiringWithinDays: expiringWithinDays.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

export const stockResponse = z.object({
  items: z.array(z.object({ itemId: z.number(), name: z.string(), onHand: z.number() })),
});

/** Goods bought with operating money, or written off (expired, damaged) — with a reason. */
export const recordStockMovementsBody = z.strictObject({
  kind: z.enum(['purchase_in', 'write_off']),
  /** A purchase's lines carry expiresOn/lotCode for tracked items; a write-off's may name lotId. */
  lines: z
    .array(goodsInLine.extend({ lotId: bodyId.optional() }))
    .min(1, { message: 'at least one line' })
    .max(100),
  reason: textLine(200),
});

export const stockTakeBody = z.strictObject({
  lines: z
    .array(
      z.strictObject({
        itemId: bodyId,
        /** For an item that tracks expiry: the lot counted (a shortfall without one is taken first-expiry-first). */
        lotId: bodyId.optional(),
        counted: z
          .number({ message: 'must be a whole number' })
          .int({ message: 'must be a whole number' })
          .min(0, { message: 'cannot be negative' })
          .max(10_000_000),
      }),
    )
    .min(1)
    .max(500),
  reason: textLine(200),
});

export const transferBody = z.strictObject({
  toStoreId: bodyId,
  lines: z.array(goodsOutLine).min(1, { message: 'at least one line' }).max(100),
  reason: textLine(200).optional(),
});

export const reverseMovementBody = z.strictObject({ reason: textLine(200) });

export const stockMovement = z.object({
  id: z.number(),
  storeId: z.number(),
  itemId: z.number(),
  itemName: z.string(),
  kind: z.enum(movementKinds),
  quantity: z.number(),
  reason: z.string().nullable(),
  reference: z.string().nullable(),
  reversesId: z.number().nullable(),
  reversedBy: z.number().nullable(),
  lotId: z.number().nullable(),
  expiresOn: z.string().nullable(),
  actorName: z.string().nullable(),
  createdAt: z.string(),
});
export type StockMovement = z.infer<typeof stockMovement>;

export const listMovementsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
});

// ---- Donations ----------------------------------------------------------------------------------

export const donorKinds = ['person', 'company', 'organization'] as const;

export const recordDonationBody = z.strictObject({
  storeId: bodyId,
  donor: z.strictObject({ name: textLine(100), kind: z.enum(donorKinds).optional() }).optional(),
  lines: z.array(goodsInLine).max(100).default([]),
  amountFen: amountFenSchema.optional(),
});
export type RecordDonationBody = z.infer<typeof recordDonationBody>;

export const donation = z.object({
  id: z.number(),
  receiptNo: z.string(),
  storeId: z.number(),
  storeName: z.string(),
  donor: z.object({ name: z.string(), kind: z.enum(donorKinds).nullable() }).nullable(),
  lines: z.array(
    z.object({
      itemId: z.number(),
      name: z.string(),
      unit: z.string(),
      quantity: z.number(),
      expiresOn: z.string().nullable(),
      lotCode: z.string().nullable(),
    }),
  ),
  amountFen: z.number().nullable(),
  recordedBy: z.string().nullable(),
  createdAt: z.string(),
});
export type Donation = z.infer<typeof donation>;

export const listDonationsQuery = z.strictObject({
  storeId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** The two funds kept apart (收支两条线): donated money never pays operating costs unseen. */
export const funds = ['donated', 'operating'] as const;

// ---- Entitlements and points --------------------------------------------------------------------

export const programPeriods = ['month', 'quarter'] as const;
export type ProgramPeriod = (typeof programPeriods)[number];

const points0 = z.number().int().min(0).max(1_000_000);

export const createProgramBody = z.strictObject({
  name: textLine(100),
  period: z.enum(programPeriods),
  /** Points per household per period, by category; a category left out is not covered. */
  pointsByCategory: z
    .partialRecord(z.enum(hardshipCategories), points0)
    .refine((v) => Object.keys(v).length > 0, { message: 'cover at least one category' })
    .meta({ examples: [{ subsistence_allowance: 200, extreme_poverty: 300 }] }),
  /** At most this many units of an item per household per period. */
  quotas: z
    .array(z.strictObject({ itemId: bodyId, quantity: quantitySchema }))
    .max(200)
    .default([]),
  /** At most this many visits (checkouts) per household per period. */
  visitLimit: z.number().int().min(1).max(1000).optional(),
  /** Granted points last this many months (then the daily job expires what is unspent); never when left out. */
  pointsValidMonths: z.number().int().min(1).max(120).optional(),
});
export type CreateProgramBody = z.infer<typeof createProgramBody>;

export const program = z.object({
  id: z.number(),
  name: z.string(),
  period: z.enum(programPeriods),
  pointsByCategory: z.record(z.string(), z.number()),
  quotas: z.array(z.object({ itemId: z.number(), itemName: z.string(), quantity: z.number() })),
  visitLimit: z.number().nullable(),
  pointsValidMonths: z.number().nullable(),
  active: z.boolean(),
  createdAt: z.string(),
});
export type Program = z.infer<typeof program>;

/** A program's grant for the current period, to the caller's subtree (or one jurisdiction under it). */
export const grantPeriodBody = z.strictObject({ programId: bodyId, jurisdictionId: bodyId.optional() });
export const grantPeriodResponse = z.object({
  periodStart: z.string(),
  granted: z.number(),
  alreadyGranted: z.number(),
  notEligible: z.number(),
  points: z.number(),
});

export const setProgramActiveBody = z.strictObject({ active: z.boolean() });

export const pointsEntryKinds = ['grant', 'redeem', 'expire', 'adjust'] as const;

export const grantPointsBody = z.strictObject({ householdId: bodyId, points: pointsSchema, reason: textLine(200) });
export type GrantPointsBody = z.infer<typeof grantPointsBody>;

/** The next expiry of a household's points: the Asia/Shanghai day and how many points then. */
export const nextExpiry = z.object({ on: z.string(), points: z.number() });

export const balanceResponse = z.object({ points: z.number(), nextExpiry: nextExpiry.nullable().optional() });

/** A run of points expiry (the daily job does the same): `expire` entries for unspent points past their validity. */
export const runPointsExpiryBody = z.strictObject({});
export const pointsExpiryResult = z.object({
  /** The Asia/Shanghai day the run counted as today. */
  asOf: z.string(),
  households: z.number(),
  entries: z.number(),
  points: z.number(),
});

/** What the till shows of a household: points, what the period still allows, whether it may redeem. */
export const entitlementResponse = z.object({
  householdId: z.number(),
  points: z.number(),
  mayRedeem: z.boolean(),
  why: z.string().nullable(),
  program: z.object({ id: z.number(), name: z.string(), period: z.enum(programPeriods) }).nullable(),
  periodStart: z.string().nullable(),
  visitsLeft: z.number().nullable(),
  nextExpiry: nextExpiry.nullable().optional(),
  quotas: z.array(z.object({ itemId: z.number(), quantity: z.number(), used: z.number(), left: z.number() })),
});

// ---- Till ---------------------------------------------------------------------------------------

export const checkoutBody = z.strictObject({ storeId: bodyId, householdId: bodyId, lines: goodsLines });
export type CheckoutBody = z.infer<typeof checkoutBody>;

export const checkoutResponse = z.object({ receiptNo: z.string(), pointsSpent: z.number(), pointsLeft: z.number() });
export type CheckoutResponse = z.infer<typeof checkoutResponse>;

/** An Idempotency-Key: what a till generates once per sale (a UUID), printable ASCII. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{8,100}$/;

export const shortLine = z.object({ itemId: z.number(), onHand: z.number(), requested: z.number() });

export const checkoutRecord = z.object({
  id: z.number(),
  receiptNo: z.string(),
  storeId: z.number(),
  householdId: z.number(),
  pointsSpent: z.number(),
  pointsLeft: z.number(),
  lines: z.array(
    z.object({
      itemId: z.number(),
      name: z.string(),
      unit: z.string(),
      quantity: z.number(),
      points: z.number(),
      /** Units of this line brought back by returns so far. */
      returned: z.number(),
    }),
  ),
  /** Points given back by returns so far. */
  pointsRefunded: z.number(),
  servedBy: z.string().nullable(),
  createdAt: z.string(),
});

/** Goods brought back from a sale, by center staff, with a reason: stock back in, points refunded. */
export const checkoutReturnBody = z.strictObject({
  lines: goodsLines,
  reason: textBlock(500).pipe(z.string().min(1, 'a reason is required')),
});
export type CheckoutReturnBody = z.infer<typeof checkoutReturnBody>;

export const checkoutReturnResponse = z.object({
  checkoutId: z.number(),
  receiptNo: z.string(),
  units: z.number(),
  pointsRefunded: z.number(),
  pointsLeft: z.number(),
});

/** A line a return would take past what was sold: sold, returned before, asked now. */
export const overReturnLine = z.object({
  itemId: z.number(),
  sold: z.number(),
  returned: z.number(),
  requested: z.number(),
});

export const reasonOnly = z.strictObject({ reason: textBlock(500).pipe(z.string().min(1, 'a reason is required')) });

// ---- Reports ------------------------------------------------------------------------------------

/** A period of Asia/Shanghai days, both ends included; the current month by default. */
export const storeReportQuery = z.strictObject({
  from: dateSchema.optional(),
  to: dateSchema.optional(),
  /** "Lots expiring soon": within this many days of today (default DEFAULT_EXPIRING_WITHIN_DAYS). */
  expiringWithinDays: expiringWithinDays.optional(),
});
export const storeReportExportQuery = storeReportQuery.extend({ format: z.enum(['csv', 'xlsx']).default('csv') });

export const storeReport = z.object({
  storeId: z.number(),
  storeName: z.string(),
  from: z.string(),
  to: z.string(),
  goodsIn: z.object({ donation: z.number(), purchase: z.number(), transfer: z.number() }),
  goodsOut: z.object({ redemption: z.number(), writeOff: z.number(), transfer: z.number() }),
  /** Net units of stock-take adjustments (negative: counted less than the books). */
  adjustments: z.number(),
  sales: z.number(),
  /** Distinct households served in the period. */
  householdsServed: z.number(),
  pointsRedeemed: z.number(),
  donatedFen: z.number(),
  topItems: z.array(z.object({ itemId: z.number(), name: z.string(), quantity: z.number(), points: z.number() })),
  onHand: z.array(z.object({ itemId: z.number(), name: z.string(), onHand: z.number() })),
  expiringWithinDays: z.number(),
  /** Lots with stock expiring within `expiringWithinDays` of today, expired ones first. */
  expiringSoon: z.array(stockLot),
});
