import { z } from 'zod';
import { isValidIdNumber, isValidUscc, normalizeIdNumber, normalizeUscc } from './identifiers.js';
import { serviceFieldCode, serviceFieldCodes } from './service-fields.js';
import { dateSchema, idSchema, phoneSchema, textBlock, textLine } from './text.js';

export const organizationKinds = ['social_group', 'social_service_agency', 'foundation', 'community_org'] as const;
export type OrganizationKind = (typeof organizationKinds)[number];
/** The kinds that register with civil affairs and so carry a USCC; community_org is filed only. */
export const registeredKinds: readonly OrganizationKind[] = ['social_group', 'social_service_agency', 'foundation'];

export const organizationStatuses = [
  'draft',
  'submitted',
  'under_review',
  'active',
  'rejected',
  'dormant',
  'suspended',
  'deregistered',
] as const;
export type OrganizationStatus = (typeof organizationStatuses)[number];

/** Fields of service: the configurable taxonomy's seed entries (the service_fields table holds the live list). */
export const serviceFields = [
  'elderly_care',
  'children_youth',
  'disability',
  'culture_sports',
  'volunteering',
  'community_governance',
  'environment',
  'health',
  'education',
  'poverty_relief',
  'legal_aid',
  'other',
] as const;

export const partyBranchKinds = ['none', 'standalone', 'joint', 'liaison'] as const;
export const contactStatuses = ['reachable', 'unreachable'] as const;

export const usccSchema = z
  .string()
  .max(64)
  .transform(normalizeUscc)
  .refine(isValidUscc, {
    message: 'not a valid Unified Social Credit Code (GB 32100-2015)',
    params: { code: 'invalid_uscc' },
  })
  .meta({ examples: ['51310101MJ0000001A'] });

export const idNumberSchema = z
  .string()
  .max(64)
  .transform(normalizeIdNumber)
  .refine((v) => isValidIdNumber(v), {
    message: 'not a valid resident ID number (GB 11643)',
    params: { code: 'invalid_id_number' },
  });

/** On update, an absent idNumber or phone is kept as it is and `null` clears it. */
export const personInChargeBody = z.strictObject({
  name: textLine(50),
  idNumber: idNumberSchema.nullable().optional(),
  phone: phoneSchema.nullable().optional(),
});

export const partyBranchBody = z.strictObject({
  kind: z.enum(partyBranchKinds),
  membersCount: z.number().int().min(0).max(100_000).optional(),
  secretary: textLine(50).optional(),
  establishedOn: dateSchema.optional(),
  commitmentLetter: z.boolean().optional(),
});

const tagsAndText = z.strictObject({
  tags: z.array(textLine(20)).max(20).default([]),
  text: textBlock(2000).optional(),
});

const count = z.number().int().min(0).max(10_000_000);

const organizationFields = {
  name: textLine(100),
  nameEn: textLine(200).optional(),
  foundedOn: dateSchema.optional(),
  registeredOn: dateSchema.optional(),
  registrationAuthority: textLine(100).optional(),
  supervisingUnit: textLine(100).optional(),
  address: textBlock(200).optional(),
  personInCharge: personInChargeBody.optional(),
  fields: serviceFieldCodes.optional(),
  membersCount: count.optional(),
  staffCount: count.optional(),
  volunteersCount: count.optional(),
  needs: tagsAndText.optional(),
  capabilities: tagsAndText.optional(),
  partyBranch: partyBranchBody.optional(),
  certificateExpiresOn: dateSchema.optional(),
};

export const createOrganizationBody = z
  .strictObject({
    kind: z.enum(organizationKinds),
    uscc: usccSchema.optional(),
    jurisdictionId: idSchema,
    ...organizationFields,
  })
  .superRefine((v, ctx) => {
    if (registeredKinds.includes(v.kind) && !v.uscc) {
      ctx.addIssue({
        code: 'custom',
        path: ['uscc'],
        message: 'a registered organization has a USCC',
        params: { code: 'required' },
      });
    }
    if (v.kind === 'community_org' && v.uscc) {
      ctx.addIssue({
        code: 'custom',
        path: ['uscc'],
        message: 'a filed community organization has no USCC until it registers',
        params: { code: 'not_allowed' },
      });
    }
  });
export type CreateOrganizationBody = z.infer<typeof createOrganizationBody>;

/** Partial: only the fields sent change. `kind` + `uscc` together upgrade a community organization. */
/**
 * A field left out stays as it is; an optional field sent as null is cleared (a person in charge
 * with their ID number and phone, a party branch back to none).
 */
export const updateOrganizationBody = z.strictObject({
  ...organizationFields,
  name: textLine(100).optional(),
  kind: z.enum(organizationKinds).optional(),
  uscc: usccSchema.optional(),
  contactStatus: z.enum(contactStatuses).optional(),
  nameEn: textLine(200).nullable().optional(),
  foundedOn: dateSchema.nullable().optional(),
  registeredOn: dateSchema.nullable().optional(),
  registrationAuthority: textLine(100).nullable().optional(),
  supervisingUnit: textLine(100).nullable().optional(),
  address: textBlock(200).nullable().optional(),
  personInCharge: personInChargeBody.nullable().optional(),
  membersCount: count.nullable().optional(),
  staffCount: count.nullable().optional(),
  volunteersCount: count.nullable().optional(),
  needs: tagsAndText.nullable().optional(),
  capabilities: tagsAndText.nullable().optional(),
  partyBranch: partyBranchBody.nullable().optional(),
  certificateExpiresOn: dateSchema.nullable().optional(),
});
export type UpdateOrganizationBody = z.infer<typeof updateOrganizationBody>;

export const changeOrganizationStatusBody = z.strictObject({
  status: z.enum(organizationStatuses),
  reason: textBlock(500).pipe(z.string().min(1, 'a reason is required')),
  effectiveOn: dateSchema.optional(),
});

export const revealBody = z.strictObject({
  reason: textBlock(500).pipe(z.string().min(2, 'say why you need to see it')),
});

export const organization = z.object({
  id: z.number(),
  kind: z.enum(organizationKinds),
  name: z.string(),
  nameEn: z.string().nullable(),
  uscc: z.string().nullable(),
  usccWarning: z.string().nullable(),
  filingNumber: z.string().nullable(),
  status: z.enum(organizationStatuses),
  jurisdictionId: z.number(),
  foundedOn: z.string().nullable(),
  registeredOn: z.string().nullable(),
  registrationAuthority: z.string().nullable(),
  supervisingUnit: z.string().nullable(),
  address: z.string().nullable(),
  personInCharge: z
    .object({ name: z.string(), idNumber: z.string().nullable(), phone: z.string().nullable(), masked: z.boolean() })
    .nullable(),
  fields: z.array(z.string()),
  membersCount: z.number().nullable(),
  staffCount: z.number().nullable(),
  volunteersCount: z.number().nullable(),
  needs: z.object({ tags: z.array(z.string()), text: z.string().optional() }).nullable(),
  capabilities: z.object({ tags: z.array(z.string()), text: z.string().optional() }).nullable(),
  partyBranch: z.record(z.string(), z.unknown()).nullable(),
  certificateExpiresOn: z.string().nullable(),
  contactStatus: z.enum(contactStatuses),
  unreachableSince: z.string().nullable(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Organization = z.infer<typeof organization>;

export const listOrganizationsQuery = z.strictObject({
  q: textLine(50).optional(),
  kind: z.enum(organizationKinds).optional(),
  status: z.enum(organizationStatuses).optional(),
  field: serviceFieldCode.optional(),
  partyBranch: z.enum(partyBranchKinds).optional(),
  contactStatus: z.enum(contactStatuses).optional(),
  jurisdictionId: idSchema.optional(),
  sort: z.enum(['name', 'foundedOn', 'updatedAt']).default('name'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(300).optional(),
});
export type ListOrganizationsQuery = z.infer<typeof listOrganizationsQuery>;

export const recordActivityBody = z.strictObject({
  occurredOn: dateSchema,
  title: textLine(100),
  field: serviceFieldCode.optional(),
  participants: count.optional(),
  beneficiaries: count.optional(),
  description: textBlock(2000).optional(),
});

/** A photo of an activity (JPEG or PNG, typed by its content), served only to those who may see the organization. */
export const activityPhoto = z.object({
  id: z.number(),
  activityId: z.number(),
  contentType: z.enum(['image/jpeg', 'image/png']),
  fileName: z.string(),
  size: z.number(),
  /** From a PNG's header; null for JPEG (not parsed). */
  width: z.number().nullable(),
  height: z.number().nullable(),
  uploadedBy: z.string().nullable(),
  createdAt: z.string(),
});
export type ActivityPhoto = z.infer<typeof activityPhoto>;

/** The most photos one activity keeps. */
export const MAX_ACTIVITY_PHOTOS = 12;

const positiveId = z
  .string()
  .regex(/^[1-9][0-9]{0,15}$/, 'must be a positive integer')
  .transform(Number);
export const activityParams = z.strictObject({ id: positiveId, activityId: positiveId });
export const activityPhotoParams = z.strictObject({ id: positiveId, activityId: positiveId, photoId: positiveId });

export const activity = z.object({
  id: z.number(),
  organizationId: z.number(),
  occurredOn: z.string(),
  title: z.string(),
  field: z.string().nullable(),
  participants: z.number().nullable(),
  beneficiaries: z.number().nullable(),
  description: z.string().nullable(),
  recordedBy: z.string().nullable(),
  createdAt: z.string(),
  photos: z.array(activityPhoto),
});

export const organizationVersion = z.object({
  version: z.number(),
  changedAt: z.string(),
  /** The account's username (or token) as recorded when the change was made. */
  actorName: z.string().nullable(),
  /** The account's display name today, what people recognize; null when the account is gone. */
  actorDisplayName: z.string().nullable(),
  action: z.string(),
  reason: z.string().nullable(),
  changes: z.array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() })),
});

export const publicOrganization = z.object({
  id: z.number(),
  kind: z.enum(organizationKinds),
  name: z.string(),
  nameEn: z.string().nullable(),
  uscc: z.string().nullable(),
  filingNumber: z.string().nullable(),
  jurisdiction: z.string(),
  /** The jurisdiction's English name, shown to English readers when it has one. */
  jurisdictionEn: z.string().nullable(),
  fields: z.array(z.string()),
  foundedOn: z.string().nullable(),
  status: z.enum(organizationStatuses),
  statusHistory: z.array(z.object({ status: z.string(), on: z.string() })),
  /** Current entries on the abnormal-activity list (活动异常名录): the reason and the date listed. */
  abnormalListings: z.array(z.object({ reason: z.string(), listedOn: z.string() })),
});

/**
 * The key fields: an NGO officer's change to any of them waits for the subdistrict's staff
 * (a change request); its other fields apply at once. Staff changes apply directly.
 */
export const organizationKeyFields = ['name', 'kind', 'uscc', 'personInCharge'] as const;
export const changeRequestStatuses = ['pending', 'approved', 'rejected'] as const;

export const organizationChangeRequest = z.object({
  id: z.number(),
  organizationId: z.number(),
  organizationName: z.string(),
  jurisdictionId: z.number(),
  status: z.enum(changeRequestStatuses),
  /** The requested values; the person in charge's ID number and phone masked. */
  changes: z.object({
    name: z.string().optional(),
    kind: z.enum(organizationKinds).optional(),
    uscc: z.string().optional(),
    personInCharge: z
      .object({ name: z.string(), idNumber: z.string().nullable().optional(), phone: z.string().nullable().optional() })
      .nullable()
      .optional(),
  }),
  requestedByName: z.string().nullable(),
  requestedAt: z.string(),
  decidedByName: z.string().nullable(),
  decidedAt: z.string().nullable(),
  reason: z.string().nullable(),
});
export type OrganizationChangeRequest = z.infer<typeof organizationChangeRequest>;

export const rejectChangeRequestBody = z.strictObject({
  reason: textBlock(500).pipe(z.string().min(1, 'a reason is required')),
});

export const listChangeRequestsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
