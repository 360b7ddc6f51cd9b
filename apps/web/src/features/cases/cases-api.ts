import type {
  CaseDetail,
  CaseRoutingRule,
  CaseStats,
  CaseSummary,
  CreateCaseBody,
  ListCasesQuery,
  SetCaseRoutingRuleBody,
  UpdateSlaPolicyBody,
  slaPolicy,
} from '@qiao/contracts';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.js';

export type SlaPolicy = (typeof slaPolicy)['_output'];
export type CaseFilters = Partial<Pick<ListCasesQuery, 'status' | 'overdue' | 'escalated' | 'jurisdictionId'>>;

const casesKey = ['cases'] as const;
const PAGE_SIZE = 50;

export function useCases(filters: CaseFilters) {
  return useInfiniteQuery({
    queryKey: [...casesKey, 'list', filters],
    queryFn: ({ pageParam, signal }) =>
      api<{ items: CaseSummary[]; nextCursor: string | null }>('/cases', {
        query: { ...filters, limit: PAGE_SIZE, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // Deadlines pass while the page is open: look again now and then.
    refetchInterval: 60_000,
  });
}

export function useCase(id: number) {
  return useQuery({
    queryKey: [...casesKey, 'one', id],
    queryFn: ({ signal }) => api<CaseDetail>(`/cases/${id}`, { signal }),
    refetchInterval: 60_000,
  });
}

export function useCreateCase() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateCaseBody) => api<CaseDetail>('/cases', { method: 'POST', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: casesKey }),
  });
}

/** The steps on one case: each answers the case as it is afterwards. */
export type CaseStep =
  | { step: 'acknowledge' }
  | { step: 'resolve'; outcome: string }
  | { step: 'reopen'; reason: string }
  | { step: 'assign'; assigneeId: number }
  | { step: 'comments'; text: string; toReporter?: boolean }
  | { step: 'refer'; departmentId: number; reason: string }
  | { step: 'referral/accept' }
  | { step: 'referral/decline'; reason: string };

export function useCaseStep(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ step, ...body }: CaseStep) => api<CaseDetail>(`/cases/${id}/${step}`, { method: 'POST', body }),
    onSuccess: (data) => {
      queryClient.setQueryData([...casesKey, 'one', id], data);
      void queryClient.invalidateQueries({ queryKey: [...casesKey, 'list'] });
      void queryClient.invalidateQueries({ queryKey: [...casesKey, 'stats'] });
    },
  });
}

export function useCaseStats(enabled = true) {
  return useQuery({
    queryKey: [...casesKey, 'stats'],
    queryFn: ({ signal }) => api<CaseStats>('/case-stats', { signal }),
    enabled,
    refetchInterval: 60_000,
  });
}

export function useSlaPolicies() {
  return useQuery({
    queryKey: ['sla-policies'],
    queryFn: ({ signal }) => api<{ items: SlaPolicy[] }>('/sla-policies', { signal }),
    select: (data) => data.items,
  });
}

export function useUpdateSlaPolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateSlaPolicyBody) => api<SlaPolicy>('/sla-policies', { method: 'PUT', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['sla-policies'] }),
  });
}

export function useRoutingRules() {
  return useQuery({
    queryKey: ['case-routing-rules'],
    queryFn: ({ signal }) => api<{ items: CaseRoutingRule[] }>('/case-routing-rules', { signal }),
    select: (data) => data.items,
  });
}

export function useSetRoutingRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SetCaseRoutingRuleBody) => api<CaseRoutingRule>('/case-routing-rules', { method: 'PUT', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['case-routing-rules'] }),
  });
}

export function useDeleteRoutingRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api<void>(`/case-routing-rules/${id}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['case-routing-rules'] }),
  });
}

export function useRunEscalations() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api<{ escalated: number }>('/case-escalations', { method: 'POST', body: {} }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: casesKey }),
  });
}

/** Who this case may be assigned to, as the server judges it. */
export function useCaseAssignees(id: number, enabled: boolean) {
  return useQuery({
    queryKey: [...casesKey, 'one', id, 'assignees'],
    queryFn: ({ signal }) =>
      api<{ items: { id: number; displayName: string; role: string; jurisdictionName: string }[] }>(
        `/cases/${id}/assignees`,
        { signal },
      ),
    select: (data) => data.items,
    enabled,
  });
}

/** Departments this case may be referred to: at its subdistrict or above it. */
export function useReferralTargets(id: number, enabled: boolean) {
  return useQuery({
    queryKey: [...casesKey, 'one', id, 'referral-targets'],
    queryFn: ({ signal }) =>
      api<{ items: { id: number; name: string; jurisdictionName: string }[] }>(`/cases/${id}/referral-targets`, {
        signal,
      }),
    select: (data) => data.items,
    enabled,
  });
}
