import { z } from 'zod';
import { jurisdictionLevels } from './roles.js';
import { idSchema, phoneSchema, textBlock, textLine } from './text.js';

/** The kinds of work a government department takes; later facets route cases and projects by them. */
export const departmentKinds = [
  'civil_affairs',
  'elderly_affairs',
  'health',
  'safety',
  'disability',
  'children_youth',
  'housing',
  'employment',
  'legal_aid',
  'culture',
  'other',
] as const;
export type DepartmentKind = (typeof departmentKinds)[number];

export const centerBody = z.strictObject({
  name: textLine(100),
  address: textBlock(200).optional(),
  phone: phoneSchema.optional(),
  openingHours: textLine(100).optional(),
});
export type CenterBody = z.infer<typeof centerBody>;

export const center = z.object({
  name: z.string(),
  address: z.string().nullable(),
  phone: z.string().nullable(),
  openingHours: z.string().nullable(),
});
export type Center = z.infer<typeof center>;

export const createJurisdictionBody = z
  .strictObject({
    name: textLine(50),
    nameEn: textLine(100).optional(),
    level: z.enum(['district', 'subdistrict']),
    parentId: idSchema,
    code: z
      .string()
      .regex(/^\d{6}(\d{3})?$/, 'must be 6 digits (district) or 9 digits (subdistrict)')
      .meta({ examples: ['310101013'] }),
    center: centerBody.optional(),
  })
  .superRefine((v, ctx) => {
    const want = v.level === 'district' ? 6 : 9;
    if (typeof v.code === 'string' && v.code.length !== want) {
      ctx.addIssue({ code: 'custom', path: ['code'], message: `a ${v.level} code has ${want} digits` });
    }
    if (v.center && v.level !== 'subdistrict') {
      ctx.addIssue({ code: 'custom', path: ['center'], message: 'only a subdistrict hosts a service center' });
    }
  });
export type CreateJurisdictionBody = z.infer<typeof createJurisdictionBody>;

export const updateJurisdictionBody = z.strictObject({
  name: textLine(50).optional(),
  nameEn: textLine(100).nullable().optional(),
});

export const jurisdiction = z.object({
  id: z.number(),
  name: z.string(),
  nameEn: z.string().nullable(),
  level: z.enum(jurisdictionLevels),
  code: z.string(),
  parentId: z.number().optional(),
  center: center.nullable(),
  createdAt: z.string(),
});
export type Jurisdiction = z.infer<typeof jurisdiction>;

export const createDepartmentBody = z.strictObject({
  name: textLine(100),
  jurisdictionId: idSchema,
  kinds: z.array(z.enum(departmentKinds)).max(departmentKinds.length).optional(),
});
export const updateDepartmentBody = z.strictObject({
  name: textLine(100).optional(),
  kinds: z.array(z.enum(departmentKinds)).max(departmentKinds.length).optional(),
});

export const department = z.object({
  id: z.number(),
  name: z.string(),
  jurisdictionId: z.number(),
  kinds: z.array(z.enum(departmentKinds)),
  createdAt: z.string(),
});
export type Department = z.infer<typeof department>;

/** A subdistrict as the public may see it: where an organization can apply to be filed. */
export const publicSubdistrict = z.object({
  id: z.number(),
  name: z.string(),
  nameEn: z.string().nullable(),
  code: z.string(),
  district: z.string(),
  districtEn: z.string().nullable(),
  center: z.string().nullable(),
});
export type PublicSubdistrict = z.infer<typeof publicSubdistrict>;

export const listDepartmentsQuery = z.strictObject({ jurisdictionId: idSchema.optional() });
