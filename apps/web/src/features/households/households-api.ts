import type {
  AidApplication,
  aidApplication,
  CreateHouseholdBody,
  duplicateTask,
  Household,
  householdAidYear,
  householdReveal,
  householdSettings,
  HouseholdSummary,
  householdVerification,
  UpdateHouseholdBody,
  volunteer,
  volunteerHours,
  volunteerShift,
} from '@qiao/contracts';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.js';

// The contracts name these schemas; read their types off them.
export type HouseholdReveal = (typeof householdReveal)['_output'];
export type HouseholdVerification = (typeof householdVerification)['_output'];
export type DuplicateTask = (typeof duplicateTask)['_output'];
export type HouseholdSettings = (typeof householdSettings)['_output'];
export type AidYear = (typeof householdAidYear)['_output'];
export type Volunteer = (typeof volunteer)['_output'];
export type VolunteerShift = (typeof volunteerShift)['_output'];
export type VolunteerHours = (typeof volunteerHours)['_output'];
export type { AidApplication, Household, HouseholdSummary };
export type AidStatus = (typeof aidApplication)['_output']['status'];

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const PAGE_SIZE = 50;
const householdsKey = ['households'] as const;
const aidKey = ['aid'] as const;
const volunteersKey = ['volunteers'] as const;

export interface HouseholdFilters {
  q?: string;
  category?: string;
  jurisdictionId?: number;
}

/** Keyset pages: "load more" asks for the rows after the last one seen. */
export function useHouseholds(filters: HouseholdFilters) {
  return useInfiniteQuery({
    queryKey: [...householdsKey, 'list', filters],
    queryFn: ({ pageParam, signal }) =>
      api<Page<HouseholdSummary>>('/households', {
        query: { ...filters, limit: PAGE_SIZE, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useDueHouseholds(enabled = true) {
  return useQuery({
    queryKey: [...householdsKey, 'due'],
    queryFn: ({ signal }) =>
      api<Page<HouseholdSummary> & { until: string }>('/households/due-for-reverification', {
        query: { limit: 200 },
        signal,
      }),
    enabled,
  });
}

export function useHousehold(id: number) {
  return useQuery({
    queryKey: [...householdsKey, 'one', id],
    queryFn: ({ signal }) => api<Household>(`/households/${id}`, { signal }),
    enabled: Number.isInteger(id) && id > 0,
  });
}

export function useVerifications(id: number) {
  return useQuery({
    queryKey: [...householdsKey, 'one', id, 'verifications'],
    queryFn: ({ signal }) => api<{ items: HouseholdVerification[] }>(`/households/${id}/verifications`, { signal }),
    select: (d) => d.items,
  });
}

export function useDuplicateTasks(enabled: boolean) {
  return useQuery({
    queryKey: [...householdsKey, 'duplicates'],
    queryFn: ({ signal }) => api<Page<DuplicateTask>>('/household-duplicate-tasks', { query: { limit: 200 }, signal }),
    select: (d) => d.items,
    enabled,
  });
}

export function useHouseholdSettings() {
  return useQuery({
    queryKey: [...householdsKey, 'settings'],
    queryFn: ({ signal }) => api<HouseholdSettings>('/household-settings', { signal }),
    staleTime: 60_000,
  });
}

/** Every household write can change lists, the one household, its aid and volunteers: refetch them. */
function useHouseholdMutation<I, O>(run: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: async () => {
      await Promise.all([
        client.invalidateQueries({ queryKey: householdsKey }),
        client.invalidateQueries({ queryKey: aidKey }),
        client.invalidateQueries({ queryKey: volunteersKey }),
      ]);
    },
  });
}

export const useCreateHousehold = () =>
  useHouseholdMutation((body: CreateHouseholdBody) => api<Household>('/households', { method: 'POST', body }));

export const useUpdateHousehold = (id: number) =>
  useHouseholdMutation((body: UpdateHouseholdBody) => api<Household>(`/households/${id}`, { method: 'PATCH', body }));

export const useVerifyHousehold = (id: number) =>
  useHouseholdMutation((body: { note?: string }) =>
    api<Household>(`/households/${id}/verify`, { method: 'POST', body }),
  );

export const useRecordConsent = (id: number) =>
  useHouseholdMutation((body: { dataUse: boolean; sharing: boolean; on: string; scope: string }) =>
    api<Household>(`/households/${id}/consent`, { method: 'POST', body }),
  );

export const useAddMember = (id: number) =>
  useHouseholdMutation(
    (body: { name: string; relation: string; birthYear?: number; disability?: string; seriousIllness?: string }) =>
      api<Household>(`/households/${id}/members`, { method: 'POST', body }),
  );

export const useRemoveMember = () =>
  useHouseholdMutation((memberId: number) => api<Household>(`/household-members/${memberId}`, { method: 'DELETE' }));

export const useResolveDuplicate = () =>
  useHouseholdMutation((input: { id: number; resolution: string }) =>
    api<{ ok: boolean }>(`/household-duplicate-tasks/${input.id}/resolve`, {
      method: 'POST',
      body: { resolution: input.resolution },
    }),
  );

/** Not cached: the revealed values live only in the component that asked. */
export function useRevealHousehold(id: number) {
  return useMutation({
    mutationFn: (reason: string) =>
      api<HouseholdReveal>(`/households/${id}/reveal`, { method: 'POST', body: { reason } }),
  });
}

// Aid

export function useAidApplications(filters: { status?: string; householdId?: number }) {
  return useInfiniteQuery({
    queryKey: [...aidKey, 'list', filters],
    queryFn: ({ pageParam, signal }) =>
      api<Page<AidApplication>>('/aid-applications', {
        query: { ...filters, limit: PAGE_SIZE, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useAidYear(householdId: number, enabled = true) {
  return useQuery({
    queryKey: [...aidKey, 'year', householdId],
    queryFn: ({ signal }) => api<AidYear>(`/households/${householdId}/aid-year`, { signal }),
    enabled,
  });
}

export const useApplyForAid = () =>
  useHouseholdMutation(
    (body: { householdId: number; kind: string; amountFen: number; reason: string; evidence: string[] }) =>
      api<AidApplication>('/aid-applications', { method: 'POST', body }),
  );

export const useDecideAid = () =>
  useHouseholdMutation((input: { id: number; decision: 'approve' | 'reject'; text?: string }) =>
    api<AidApplication>(`/aid-applications/${input.id}/${input.decision}`, {
      method: 'POST',
      body: input.decision === 'approve' ? (input.text ? { note: input.text } : {}) : { reason: input.text ?? '' },
    }),
  );

export const useRecordDisbursement = () =>
  useHouseholdMutation(
    (input: { id: number; amountFen: number; paidOn: string; method: string; reference?: string }) => {
      const { id, ...body } = input;
      return api<AidApplication>(`/aid-applications/${id}/disbursements`, { method: 'POST', body });
    },
  );

// Volunteers

export function useVolunteers(q?: string) {
  return useQuery({
    queryKey: [...volunteersKey, 'list', q ?? ''],
    queryFn: ({ signal }) => api<Page<Volunteer>>('/volunteers', { query: { q, limit: 200 }, signal }),
    select: (d) => d.items,
  });
}

export function useShifts() {
  return useQuery({
    queryKey: [...volunteersKey, 'shifts'],
    queryFn: ({ signal }) => api<Page<VolunteerShift>>('/volunteer-shifts', { query: { limit: 200 }, signal }),
    select: (d) => d.items,
  });
}

export function useVolunteerHours(status?: string) {
  return useQuery({
    queryKey: [...volunteersKey, 'hours', status ?? 'all'],
    queryFn: ({ signal }) => api<Page<VolunteerHours>>('/volunteer-hours', { query: { status, limit: 200 }, signal }),
    select: (d) => d.items,
  });
}

export const useCreateVolunteer = () =>
  useHouseholdMutation(
    (body: {
      name: string;
      jurisdictionId: number;
      phone?: string;
      householdId?: number;
      skills?: string;
      userId?: number;
    }) => api<Volunteer>('/volunteers', { method: 'POST', body }),
  );

export const useCreateShift = () =>
  useHouseholdMutation(
    (body: { jurisdictionId: number; title: string; place?: string; startsAt: string; endsAt: string }) =>
      api<VolunteerShift>('/volunteer-shifts', { method: 'POST', body }),
  );

export const useLogHours = () =>
  useHouseholdMutation(
    (body: { volunteerId: number; shiftId?: number; workedOn: string; minutes: number; description?: string }) =>
      api<VolunteerHours>('/volunteer-hours', { method: 'POST', body }),
  );

export const useDecideHours = () =>
  useHouseholdMutation((input: { id: number; decision: 'approve' | 'reject'; reason?: string }) =>
    api<VolunteerHours>(`/volunteer-hours/${input.id}/${input.decision}`, {
      method: 'POST',
      body: input.decision === 'reject' ? { reason: input.reason ?? '' } : {},
    }),
  );

/** Fen as yuan with two decimals: 123456 → "1,234.56". */
export function formatFen(fen: number): string {
  return (fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** Yuan typed by a person (up to two decimals) as integer fen, or undefined when not a whole number of fen. */
export function yuanToFen(yuan: number | string | null | undefined): number | undefined {
  if (yuan === null || yuan === undefined || yuan === '') return undefined;
  const text = String(yuan).trim();
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(text)) return undefined;
  const [whole, frac = ''] = text.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}
