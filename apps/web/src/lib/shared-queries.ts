import type { Department, Jurisdiction } from '@qiao/contracts';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api } from './api.js';

/** Query keys shared by more than one feature; a feature's own keys live in its api file. */
export const sharedKeys = {
  session: ['session'] as const,
  jurisdictions: ['jurisdictions'] as const,
  departments: (jurisdictionId?: number) => ['departments', jurisdictionId ?? 'all'] as const,
};

/** Every jurisdiction in the caller's scope, flat, with a lookup by id. */
export function useJurisdictions(enabled = true) {
  const query = useQuery({
    queryKey: sharedKeys.jurisdictions,
    queryFn: ({ signal }) => api<{ items: Jurisdiction[] }>('/jurisdictions', { signal }),
    select: (data) => data.items,
    staleTime: 60_000,
    enabled,
  });
  const byId = useMemo(() => new Map((query.data ?? []).map((j) => [j.id, j])), [query.data]);
  return { ...query, byId };
}

/** Departments of one jurisdiction, or of the whole scope when no id is given. */
export function useDepartments(jurisdictionId: number | undefined, enabled = true) {
  return useQuery({
    queryKey: sharedKeys.departments(jurisdictionId),
    queryFn: ({ signal }) => api<{ items: Department[] }>('/departments', { query: { jurisdictionId }, signal }),
    select: (data) => data.items,
    staleTime: 60_000,
    enabled,
  });
}
