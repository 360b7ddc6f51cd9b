import type {
  ExportFormat,
  Organization,
  RegistryImportJob,
  RegistryImportJobSummary,
  RegistryImportResult,
  RegistryReconciliation,
} from '@qiao/contracts';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, toQueryString } from '../../lib/api.js';
import type { QueryValue } from '../../lib/api.js';

function fileBody(file: File): FormData {
  const body = new FormData();
  body.append('file', file);
  return body;
}

/** Imports the bureau's file; created and updated organizations change every list, so refetch them. */
export function useImportRegistry() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (file: File) =>
      api<RegistryImportResult>('/registry/imports', { method: 'POST', body: fileBody(file) }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['organizations'] }),
  });
}

/** Starts the import as a background job: the answer (202) is the job to follow; the list shows it too. */
export function useStartImportJob() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (file: File) =>
      api<RegistryImportJob>('/registry/imports?background=true', { method: 'POST', body: fileBody(file) }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: importJobListKey }),
  });
}

const importJobListKey = ['registry-import-jobs', 'list'];
/** How often the list is asked again while one of its jobs runs. */
const LIST_POLL_MS = 3_000;

/** The background imports the reader may follow, newest first, a page at a time; refreshed while one runs. */
export function useImportJobList() {
  return useInfiniteQuery({
    queryKey: importJobListKey,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      api<{ items: RegistryImportJobSummary[]; nextCursor: string | null }>('/registry/import-jobs', {
        query: { limit: 20, cursor: pageParam },
        signal,
      }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: (query) =>
      query.state.data?.pages.some((p) => p.items.some((j) => j.status === 'running')) ? LIST_POLL_MS : false,
  });
}

/** How often the page asks how far a running job has got. */
export const JOB_POLL_MS = 1_000;

/** A background import, asked for again every second while it runs; lists refetch once it is done. */
export function useImportJob(id: number | null) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: ['registry-import-jobs', id],
    enabled: id !== null,
    queryFn: async () => {
      const job = await api<RegistryImportJob>(`/registry/import-jobs/${id}`);
      if (job.status === 'done') await queryClient.invalidateQueries({ queryKey: ['organizations'] });
      return job;
    },
    refetchInterval: (query) => (query.state.data?.status === 'running' || !query.state.data ? JOB_POLL_MS : false),
  });
}

/** The share of the file read, 0–100: never 100 before the job is done (the line count is an estimate). */
export function jobPercent(job: Pick<RegistryImportJob, 'status' | 'rows' | 'estimatedRows'>): number {
  if (job.status !== 'running') return 100;
  if (!job.estimatedRows) return 0;
  return Math.min(99, Math.floor((job.rows / job.estimatedRows) * 100));
}

/** Compares the bureau's file with Qiao; writes nothing. */
export function useReconcileRegistry() {
  return useMutation({
    mutationFn: (file: File) =>
      api<RegistryReconciliation>('/registry/reconciliations', { method: 'POST', body: fileBody(file) }),
  });
}

/** Places an organization waiting at district or city level in a subdistrict. */
export function useAssignJurisdiction(organizationId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (jurisdictionId: number) =>
      api<Organization>(`/organizations/${organizationId}/assign`, { method: 'POST', body: { jurisdictionId } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['organizations'] }),
  });
}

/** Plain links: the browser downloads them with the session cookie. */
/** The export of the list as filtered; with `reveal`, personal data in clear, the reason going to the audit trail. */
export function organizationsExportUrl(
  format: ExportFormat,
  filters: Record<string, QueryValue>,
  reveal?: { reason: string },
): string {
  const extra = reveal ? { reveal: 'true', reason: reveal.reason } : {};
  return `/api/organizations/export${toQueryString({ ...filters, format, ...extra })}`;
}

export function filingsExportUrl(format: ExportFormat): string {
  return `/api/registry/filings/export${toQueryString({ format })}`;
}
