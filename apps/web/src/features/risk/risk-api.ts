import {
  listAbnormalListingsResponse,
  listRiskOrganizationsResponse,
  listRiskRulesResponse,
  organizationRisk,
  riskSummary,
  type AbnormalListing,
  type OrganizationRisk,
  type RiskLevel,
  type RiskRule,
  type UpdateRiskRuleBody,
  type UpdateRiskSettingsBody,
} from '@qiao/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.js';

export type { AbnormalListing, OrganizationRisk, RiskLevel, RiskRule };
export type RiskSummary = (typeof riskSummary)['_output'];
export type RiskOrganizations = (typeof listRiskOrganizationsResponse)['_output'];

/** Level colours, calm to alarming; the same in tags and charts. */
export const levelColors: Record<RiskLevel, string> = {
  green: '#389e0d',
  yellow: '#d4b106',
  orange: '#d46b08',
  red: '#cf1322',
};

/** The evidence keys rules report (server: each rule's `evidence`), translated under risk.evidence. */
export const evidenceKeys = [
  'expiresOn',
  'lastActivityOn',
  'changes',
  'lastChangedOn',
  'unreachableSince',
  'complaints',
  'windowStartsOn',
] as const;

/** The modules that register rules today, translated under riskModules (others show their id). */
export const ruleModules = ['registry', 'cases'] as const;

export function useOrganizationRisk(id: number, enabled = true) {
  return useQuery({
    queryKey: ['risk', 'organization', id],
    queryFn: async ({ signal }) => organizationRisk.parse(await api<unknown>(`/organizations/${id}/risk`, { signal })),
    enabled,
  });
}

export function useRiskRules() {
  return useQuery({
    queryKey: ['risk', 'rules'],
    queryFn: async ({ signal }) => listRiskRulesResponse.parse(await api<unknown>('/risk-rules', { signal })),
  });
}

export function useRiskSummary(jurisdictionId?: number) {
  return useQuery({
    queryKey: ['risk', 'summary', jurisdictionId ?? null],
    queryFn: async ({ signal }) =>
      riskSummary.parse(await api<unknown>('/risk-summary', { signal, query: { jurisdictionId } })),
    staleTime: 30_000,
  });
}

export function useRiskOrganizations(level: RiskLevel | undefined, cursor: string | undefined) {
  return useQuery({
    queryKey: ['risk', 'organizations', level ?? null, cursor ?? null],
    queryFn: async ({ signal }) =>
      listRiskOrganizationsResponse.parse(
        await api<unknown>('/risk-organizations', { signal, query: { level, cursor, limit: 20 } }),
      ),
  });
}

export function useAbnormalListings(current: boolean) {
  return useQuery({
    queryKey: ['risk', 'listings', current],
    queryFn: async ({ signal }) =>
      listAbnormalListingsResponse.parse(
        await api<unknown>('/abnormal-listings', { signal, query: { current: String(current), limit: 100 } }),
      ),
  });
}

function useInvalidateRisk() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ['risk'] });
}

export function useUpdateRiskRule() {
  const invalidate = useInvalidateRisk();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateRiskRuleBody }) =>
      api<RiskRule>(`/risk-rules/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
    onSuccess: invalidate,
  });
}

export function useUpdateRiskSettings() {
  const invalidate = useInvalidateRisk();
  return useMutation({
    mutationFn: (body: UpdateRiskSettingsBody) => api<unknown>('/risk-settings', { method: 'PUT', body }),
    onSuccess: invalidate,
  });
}

export function useRunRiskScan() {
  const invalidate = useInvalidateRisk();
  return useMutation({
    mutationFn: () =>
      api<{ scanned: number; signals: number; durationMs: number }>('/risk-scans', { method: 'POST', body: {} }),
    onSuccess: invalidate,
  });
}

export function useRemoveListing() {
  const invalidate = useInvalidateRisk();
  return useMutation({
    mutationFn: ({ id, evidence }: { id: number; evidence: string }) =>
      api<AbnormalListing>(`/abnormal-listings/${id}/removal`, { method: 'POST', body: { evidence } }),
    onSuccess: invalidate,
  });
}
