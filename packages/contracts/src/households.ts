import { z } from 'zod';
import { idNumberSchema } from './organizations.js';
import { dateSchema, idSchema, phoneSchema, textBlock, textLine } from './text.js';

/** The five hardship categories: 低保, 低收入/边缘, 特困, 支出型困难, 临时困难. */
export const hardshipCategories = [
  'subsistence_allowance',
  'low_income',
  'extreme_poverty',
  'expenditure_hardship',
  'temporary_hardship',
] as const;
export type HardshipCategory = (typeof hardshipCategories)[number];

export const memberRelations = [
  'head',
  'spouse',
  'child',
  'parent',
  'grandparent',
  'grandchild',
  'sibling',
  'other',
] as const;
export const disabilityKinds = [
  'none',
  'visual',
  'hearing',
  'speech',
  'physical',
  'intellectual',
  'mental',
  'multiple',
] as const;

/** Why a household may not redeem: never verified, or its verification has run out. */
export const redeemBlocks = ['unverified', 'expired'] as const;
export type RedeemBlock = (typeof redeemBlocks)[number];

/** The contract: exactly these fields. Address, members and consent have their own operations. */
export const createHouseholdBody = z.strictObject({
  headName: textLine(50),
  idNumber: idNumberSchema,
  category: z.enum(hardshipCategories),
  jurisdictionId: idSchema,
  phone: phoneSchema.optional(),
});
export type CreateHouseholdBody = z.infer<typeof createHouseholdBody>;

/** Partial: only the fields sent change; `null` clears the phone or the address. */
export const updateHouseholdBody = z.strictObject({
  headName: textLine(50).optional(),
  category: z.enum(hardshipCategories).optional(),
  phone: phoneSchema.nullable().optional(),
  address: textBlock(200).pipe(z.string().min(1, 'required')).nullable().optional(),
});
export type UpdateHouseholdBody = z.infer<typeof updateHouseholdBody>;

export const verifyHouseholdBody = z.strictObject({
  note: textBlock(500).optional(),
});

export const householdConsentBody = z.strictObject({
  dataUse: z.boolean(),
  sharing: z.boolean(),
  /** The date the resident signed, not in the future. */
  on: dateSchema,
  /** What the resident agreed to: which data, shared with whom, for what. */
  scope: textBlock(500).pipe(z.string().min(2, 'say what was agreed')),
});

const thisYear = new Date().getUTCFullYear();

export const addHouseholdMemberBody = z.strictObject({
  name: textLine(50),
  relation: z.enum(memberRelations),
  birthYear: z
    .number()
    .int()
    .min(1900)
    .max(thisYear + 1)
    .optional(),
  disability: z.enum(disabilityKinds).optional(),
  seriousIllness: textLine(100).optional(),
});

export const householdMember = z.object({
  id: z.number(),
  name: z.string(),
  relation: z.enum(memberRelations),
  birthYear: z.number().nullable(),
  /** True when disability or illness data is held; the data itself only through revealHousehold. */
  hasSensitive: z.boolean(),
});

export const household = z.object({
  id: z.number(),
  jurisdictionId: z.number(),
  headName: z.string(),
  idNumber: z.string(),
  phone: z.string().nullable(),
  masked: z.boolean(),
  category: z.enum(hardshipCategories),
  address: z.string().nullable(),
  cardNumber: z.string().nullable(),
  verification: z
    .object({
      verifiedAt: z.string(),
      verifiedBy: z.string().nullable(),
      note: z.string().nullable(),
      validUntil: z.string(),
    })
    .nullable(),
  mayRedeem: z.boolean(),
  redeemBlock: z.enum(redeemBlocks).nullable(),
  consent: z.object({ dataUse: z.boolean(), sharing: z.boolean(), on: z.string(), scope: z.string() }).nullable(),
  members: z.array(householdMember),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Household = z.infer<typeof household>;

/** A list row: no members, personal data always masked. */
export const householdSummary = household.omit({ members: true });
export type HouseholdSummary = z.infer<typeof householdSummary>;

export const listHouseholdsQuery = z.strictObject({
  /** Head's name (prefix), card number, phone or resident ID number (exact). */
  q: textLine(50).optional(),
  category: z.enum(hardshipCategories).optional(),
  jurisdictionId: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(300).optional(),
});
export type ListHouseholdsQuery = z.infer<typeof listHouseholdsQuery>;

export const dueHouseholdsQuery = z.strictObject({
  /** Days ahead; defaults to the city's notice period. Already expired ones are included. */
  days: z.coerce.number().int().min(0).max(366).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(300).optional(),
});

export const householdReveal = z.object({
  idNumber: z.string(),
  phone: z.string().nullable(),
  members: z.array(
    z.object({ id: z.number(), disability: z.enum(disabilityKinds).nullable(), seriousIllness: z.string().nullable() }),
  ),
});

export const householdVerification = z.object({
  id: z.number(),
  verifiedAt: z.string(),
  verifiedBy: z.string().nullable(),
  note: z.string().nullable(),
  validUntil: z.string(),
});

export const duplicateTaskStatuses = ['open', 'resolved'] as const;

export const duplicateTask = z.object({
  id: z.number(),
  jurisdictionId: z.number(),
  headName: z.string(),
  idNumber: z.string(),
  category: z.enum(hardshipCategories),
  attemptedBy: z.string().nullable(),
  /** The household already holding the ID number, when it lies in the reader's subtree; else null. */
  existingHouseholdId: z.number().nullable(),
  status: z.enum(duplicateTaskStatuses),
  resolution: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  createdAt: z.string(),
});

export const listDuplicateTasksQuery = z.strictObject({
  status: z.enum(duplicateTaskStatuses).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, 'not a cursor')
    .optional(),
});

export const resolveDuplicateTaskBody = z.strictObject({
  resolution: textBlock(500).pipe(z.string().min(2, 'say how it was resolved')),
});

const fen = z.number().int().min(0).max(100_000_000_000);

export const householdSettings = z.object({
  verificationValidDays: z.number(),
  reverifyNoticeDays: z.number(),
  aidSecondApprovalFen: z.number(),
  aidYearlyCapFen: z.number(),
  volunteerPointsPerHour: z.number(),
  updatedAt: z.string(),
});

export const updateHouseholdSettingsBody = z.strictObject({
  verificationValidDays: z.number().int().min(1).max(1096).optional(),
  reverifyNoticeDays: z.number().int().min(0).max(366).optional(),
  aidSecondApprovalFen: fen.optional(),
  aidYearlyCapFen: fen.optional(),
  volunteerPointsPerHour: z.number().int().min(0).max(10_000).optional(),
});
