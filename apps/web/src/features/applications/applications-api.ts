import type {
  AmendApplicationBody,
  Application,
  ApplicationStatus,
  applicationWithFlags,
  DocumentType,
  OrganizationDocument,
  SubmitApplicationBody,
  PublicSubdistrict,
} from '@qiao/contracts';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.js';

export type ApplicationWithFlags = (typeof applicationWithFlags)['_output'];

/**
 * The steps a reviewer may take from where the application stands (the server's rules): a
 * submitted one is first taken up for review; only then approved, returned or rejected.
 */
export const reviewActions: Record<ApplicationStatus, readonly ('review' | 'approve' | 'return' | 'reject')[]> = {
  submitted: ['review'],
  under_review: ['approve', 'return', 'reject'],
  returned: [],
  approved: [],
  rejected: [],
};

/** The applicant may change the application while the center has not decided on it. */
export const amendable = (status: ApplicationStatus) => status === 'submitted' || status === 'returned';

const PAGE_SIZE = 50;
const applicationsKey = ['applications'] as const;
const mineKey = [...applicationsKey, 'mine'] as const;
const documentsKey = (organizationId: number) => ['organizations', 'one', organizationId, 'documents'] as const;

/** Public, no login: the organization, its person in charge and the applicant's new account. */
export function useSubmitApplication() {
  return useMutation({
    mutationFn: (body: SubmitApplicationBody) => api<Application>('/public/applications', { method: 'POST', body }),
  });
}

/** Public, no login: the subdistricts an organization can apply in. */
export function usePublicSubdistricts() {
  return useQuery({
    queryKey: ['public', 'subdistricts'],
    queryFn: ({ signal }) => api<{ items: PublicSubdistrict[] }>('/public/subdistricts', { signal }),
    staleTime: 10 * 60_000,
  });
}

export function useMyApplication() {
  return useQuery({
    queryKey: mineKey,
    queryFn: ({ signal }) => api<Application>('/applications/mine', { signal }),
  });
}

export function useAmendMyApplication() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: AmendApplicationBody) => api<Application>('/applications/mine', { method: 'PATCH', body }),
    onSuccess: (saved) => queryClient.setQueryData(mineKey, saved),
  });
}

export function useApplications(status: ApplicationStatus | undefined) {
  return useInfiniteQuery({
    queryKey: [...applicationsKey, 'list', status ?? ''],
    queryFn: ({ pageParam, signal }) =>
      api<{ items: Application[]; nextCursor: string | null }>('/applications', {
        query: { status, limit: PAGE_SIZE, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useApplication(id: number) {
  return useQuery({
    queryKey: [...applicationsKey, 'one', id],
    queryFn: ({ signal }) => api<ApplicationWithFlags>(`/applications/${id}`, { signal }),
    enabled: Number.isInteger(id) && id > 0,
  });
}

export type ReviewAction = 'review' | 'approve' | 'return' | 'reject';

/** One reviewer step; the queue, the application and the registry all change with it. */
export function useReviewStep(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ action, reason }: { action: ReviewAction; reason?: string }) =>
      api<Application>(`/applications/${id}/${action}`, {
        method: 'POST',
        body: action === 'review' ? undefined : reason ? { reason } : {},
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: applicationsKey });
      await queryClient.invalidateQueries({ queryKey: ['organizations'] });
    },
  });
}

export function useDocuments(organizationId: number | undefined) {
  return useQuery({
    queryKey: documentsKey(organizationId ?? 0),
    queryFn: ({ signal }) =>
      api<{ items: OrganizationDocument[] }>(`/organizations/${organizationId}/documents`, { signal }),
    select: (data) => data.items,
    enabled: organizationId !== undefined,
  });
}

export function useUploadDocument(organizationId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ type, file }: { type: DocumentType; file: File }) => {
      const body = new FormData();
      // The type comes before the file: the server reads the fields as the parts stream in.
      body.append('type', type);
      body.append('file', file, file.name);
      return api<OrganizationDocument>(`/organizations/${organizationId}/documents`, { method: 'POST', body });
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: documentsKey(organizationId) }),
  });
}

/** Same-origin, cookie-authenticated: the browser downloads it as an attachment. */
export const documentUrl = (organizationId: number, documentId: number) =>
  `/api/organizations/${organizationId}/documents/${documentId}`;
