import type { publicOrganization } from '@qiao/contracts';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api.js';

export type PublicOrganization = (typeof publicOrganization)['_output'];

const PAGE_SIZE = 20;

/** The public directory: active organizations only, no personal data, no login. */
export function usePublicOrganizations(q: string | undefined) {
  return useInfiniteQuery({
    queryKey: ['public-organizations', q ?? ''],
    queryFn: ({ pageParam, signal }) =>
      api<{ items: PublicOrganization[]; nextCursor: string | null }>('/public/organizations', {
        query: { q, limit: PAGE_SIZE, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: 60_000,
  });
}

export function usePublicOrganization(id: number | undefined) {
  return useQuery({
    queryKey: ['public-organizations', 'one', id],
    queryFn: ({ signal }) => api<PublicOrganization>(`/public/organizations/${id}`, { signal }),
    enabled: id !== undefined,
    staleTime: 60_000,
  });
}
