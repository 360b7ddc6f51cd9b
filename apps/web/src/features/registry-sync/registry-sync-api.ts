import type { ExportFormat, Organization, RegistryImportResult, RegistryReconciliation } from '@qiao/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
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
