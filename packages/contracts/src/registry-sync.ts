import { z } from 'zod';
import { listOrganizationsQuery, type OrganizationKind, type OrganizationStatus } from './organizations.js';
import { idSchema, textBlock } from './text.js';

/** The columns of the municipal bureau's registry export, in its order; jurisdiction_code is optional. */
export const registryColumns = [
  'uscc',
  'name',
  'kind',
  'legal_representative',
  'registered_on',
  'status',
  'authority',
  'address',
  'jurisdiction_code',
] as const;
export type RegistryColumn = (typeof registryColumns)[number];

/** The bureau's words for the registered kinds, beside our own. */
export const registryKindAliases: Record<string, OrganizationKind> = {
  social_group: 'social_group',
  social_service_agency: 'social_service_agency',
  foundation: 'foundation',
  社会团体: 'social_group',
  民办非企业单位: 'social_service_agency',
  社会服务机构: 'social_service_agency',
  基金会: 'foundation',
};

/** The bureau's statuses: 正常 → active, 停止活动 → suspended, 注销/撤销 → deregistered. */
export const registryStatusAliases: Record<string, OrganizationStatus> = {
  active: 'active',
  正常: 'active',
  suspended: 'suspended',
  停止活动: 'suspended',
  deregistered: 'deregistered',
  注销: 'deregistered',
  撤销: 'deregistered',
};

/** The most rejected rows an answer lists; `rejectedCount` always holds the total. */
export const MAX_REJECTED_LISTED = 10_000;

export const rejectedRow = z.object({
  /**
   * Line in the file: 1 is a CSV's header; a JSON-lines file's line is its own line. A CSV record
   * whose quoted field spans lines is numbered by the line it ends on.
   */
  line: z.number(),
  errors: z.array(z.object({ field: z.string(), code: z.string() })),
});

export const registryImportResult = z.object({
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  rejected: z.array(rejectedRow),
  rejectedCount: z.number(),
  rows: z.number(),
  sha256: z.string(),
});
export type RegistryImportResult = z.infer<typeof registryImportResult>;

export const registryReconciliation = z.object({
  onlyInFile: z.array(z.object({ uscc: z.string(), name: z.string() })),
  onlyInQiao: z.array(z.object({ id: z.number(), uscc: z.string(), name: z.string() })),
  differing: z.array(
    z.object({
      uscc: z.string(),
      id: z.number(),
      fields: z.array(z.object({ field: z.string(), file: z.string().nullable(), qiao: z.string().nullable() })),
    }),
  ),
  rejected: z.array(rejectedRow),
  rejectedCount: z.number(),
  rows: z.number(),
  sha256: z.string(),
});
export type RegistryReconciliation = z.infer<typeof registryReconciliation>;

export const assignOrganizationBody = z.strictObject({ jurisdictionId: idSchema });

export const exportFormats = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof exportFormats)[number];

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

/** The filters of listOrganizations (no paging), the format, and an optional reveal with its reason. */
export const exportOrganizationsQuery = listOrganizationsQuery
  .omit({ limit: true, cursor: true })
  .extend({
    format: z.enum(exportFormats).default('csv'),
    reveal: flag.optional(),
    reason: textBlock(500).pipe(z.string().min(2, 'say why you need to see it')).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.reveal && !v.reason) {
      ctx.addIssue({
        code: 'custom',
        path: ['reason'],
        message: 'a reveal needs a reason',
        params: { code: 'required' },
      });
    }
  });
export type ExportOrganizationsQuery = z.infer<typeof exportOrganizationsQuery>;

export const exportFilingsQuery = z.strictObject({
  format: z.enum(exportFormats).default('csv'),
  jurisdictionId: idSchema.optional(),
});
export type ExportFilingsQuery = z.infer<typeof exportFilingsQuery>;

/** `background=true` runs the import as a job (202 with the job) instead of answering when the file is done. */
export const importRegistryQuery = z.object({
  background: z.enum(['true', 'false']).optional(),
});

export const registryImportJobStatuses = ['running', 'done', 'failed'] as const;
export type RegistryImportJobStatus = (typeof registryImportJobStatuses)[number];

/** A background import: counts so far while running; the import's answer once done; why it stopped when failed. */
export const registryImportJob = z.object({
  id: z.number(),
  status: z.enum(registryImportJobStatuses),
  filename: z.string().nullable(),
  bytes: z.number(),
  startedBy: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** Lines in the file (less a CSV's header), counted first; a quoted field spanning lines makes it a little high. */
  estimatedRows: z.number().nullable(),
  rows: z.number(),
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  rejectedCount: z.number(),
  result: registryImportResult.nullable(),
  error: z.string().nullable(),
  /** A failure the client can fix names each field, e.g. `file.uscc` / `missing_column`. */
  errorFields: z.array(z.object({ field: z.string(), code: z.string() })),
});
export type RegistryImportJob = z.infer<typeof registryImportJob>;

/** One job in the bureau sync page's list: who, when, which file, counts and state; its rejected rows are read one job at a time. */
export const registryImportJobSummary = registryImportJob.omit({ result: true });
export type RegistryImportJobSummary = z.infer<typeof registryImportJobSummary>;

export const listRegistryImportJobsQuery = z.strictObject({
  status: z.enum(registryImportJobStatuses).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, 'not a cursor')
    .optional(),
});
export type ListRegistryImportJobsQuery = z.infer<typeof listRegistryImportJobsQuery>;

export const listRegistryImportJobsResponse = z.object({
  items: z.array(registryImportJobSummary),
  nextCursor: z.string().nullable(),
});
