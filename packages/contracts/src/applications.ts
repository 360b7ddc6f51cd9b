import { z } from 'zod';
import {
  organization,
  organizationKinds,
  organizationStatuses,
  registeredKinds,
  usccSchema,
  idNumberSchema,
} from './organizations.js';
import { serviceFieldCodes } from './service-fields.js';
import { dateSchema, idSchema, phoneSchema, textBlock, textLine } from './text.js';
import { passwordSchema, usernameSchema } from './users.js';

/** Where an application stands; the organization moves with it (submitted → under_review → active | rejected). */
export const applicationStatuses = ['submitted', 'under_review', 'returned', 'approved', 'rejected'] as const;
export type ApplicationStatus = (typeof applicationStatuses)[number];

const applicationOrganizationFields = {
  name: textLine(100),
  uscc: usccSchema.optional(),
  foundedOn: dateSchema.optional(),
  address: textBlock(200).optional(),
  fields: serviceFieldCodes.optional(),
};

function requireUsccOfRegistered(v: { kind?: string; uscc?: string }, ctx: z.RefinementCtx) {
  if (v.kind && registeredKinds.includes(v.kind as never) && !v.uscc) {
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
}

export const applicantPersonInCharge = z.strictObject({
  name: textLine(50),
  idNumber: idNumberSchema,
  phone: phoneSchema,
});

/** The public application form: the organization, its person in charge and the applicant's account. */
export const submitApplicationBody = z.strictObject({
  organization: z
    .strictObject({
      kind: z.enum(organizationKinds),
      jurisdictionId: idSchema,
      ...applicationOrganizationFields,
    })
    .superRefine(requireUsccOfRegistered),
  personInCharge: applicantPersonInCharge,
  account: z.strictObject({
    username: usernameSchema,
    password: passwordSchema,
    displayName: textLine(64),
  }),
});
export type SubmitApplicationBody = z.infer<typeof submitApplicationBody>;

/** What the applicant may change while the application is submitted or returned; only the fields sent change. */
export const amendApplicationBody = z.strictObject({
  organization: z
    .strictObject({
      kind: z.enum(organizationKinds).optional(),
      ...applicationOrganizationFields,
      name: textLine(100).optional(),
    })
    .optional(),
  personInCharge: applicantPersonInCharge.optional(),
});
export type AmendApplicationBody = z.infer<typeof amendApplicationBody>;

export const applicationReasonBody = z.strictObject({
  reason: textBlock(500).pipe(z.string().min(1, 'a reason is required')),
});

export const listApplicationsQuery = z.strictObject({
  status: z.enum(applicationStatuses).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(300).optional(),
});
export type ListApplicationsQuery = z.infer<typeof listApplicationsQuery>;

export const duplicateReasons = ['same_uscc', 'similar_name', 'same_person_in_charge'] as const;

/** Another organization that may be the same one: the reviewer decides. */
export const duplicateFlag = z.object({
  reason: z.enum(duplicateReasons),
  /** Name similarity (0..1) for similar_name. */
  similarity: z.number().optional(),
  organization: z.object({ id: z.number(), name: z.string(), status: z.enum(organizationStatuses) }),
});
export type DuplicateFlag = z.infer<typeof duplicateFlag>;

export const application = z.object({
  id: z.number(),
  status: z.enum(applicationStatuses),
  organization,
  applicant: z.object({ id: z.number(), username: z.string(), displayName: z.string() }),
  /** Why it was returned or rejected; the applicant sees it. */
  decisionReason: z.string().nullable(),
  submittedAt: z.string(),
  decidedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Application = z.infer<typeof application>;

export const applicationWithFlags = application.extend({ duplicates: z.array(duplicateFlag) });

export const documentTypes = ['charter', 'certificate', 'commitment_letter', 'other'] as const;
export type DocumentType = (typeof documentTypes)[number];
export const documentContentTypes = ['application/pdf', 'image/jpeg', 'image/png'] as const;

export const organizationDocument = z.object({
  id: z.number(),
  organizationId: z.number(),
  type: z.enum(documentTypes),
  fileName: z.string(),
  contentType: z.enum(documentContentTypes),
  size: z.number(),
  sha256: z.string(),
  uploadedBy: z.string().nullable(),
  createdAt: z.string(),
});
export type OrganizationDocument = z.infer<typeof organizationDocument>;

export const documentParams = z.strictObject({
  id: z
    .string()
    .regex(/^[1-9][0-9]{0,15}$/, 'must be a positive integer')
    .transform(Number),
  docId: z
    .string()
    .regex(/^[1-9][0-9]{0,15}$/, 'must be a positive integer')
    .transform(Number),
});
