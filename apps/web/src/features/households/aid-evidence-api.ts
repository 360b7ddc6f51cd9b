import type { AidEvidenceFile } from '@qiao/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.js';

const evidenceKey = (applicationId: number) => ['aid', 'evidence', applicationId] as const;

export function useAidEvidence(applicationId: number) {
  return useQuery({
    queryKey: evidenceKey(applicationId),
    queryFn: ({ signal }) =>
      api<{ items: AidEvidenceFile[] }>(`/aid-applications/${applicationId}/evidence`, { signal }),
    select: (data) => data.items,
  });
}

export function useUploadAidEvidence(applicationId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => {
      const body = new FormData();
      body.append('file', file, file.name);
      return api<AidEvidenceFile>(`/aid-applications/${applicationId}/evidence`, { method: 'POST', body });
    },
    onSuccess: () => client.invalidateQueries({ queryKey: evidenceKey(applicationId) }),
  });
}

/** Same-origin, cookie-authenticated: the browser downloads it as an attachment (the server audits it). */
export const aidEvidenceUrl = (applicationId: number, evidenceId: number) =>
  `/api/aid-applications/${applicationId}/evidence/${evidenceId}`;
