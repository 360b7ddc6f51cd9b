import { overview } from '@qiao/contracts';
import type { Overview } from '@qiao/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api.js';

export type { Overview };

/** GET /api/overview, counted within the caller's subtree and checked against the shared schema. */
export function useOverview() {
  return useQuery({
    queryKey: ['overview'],
    queryFn: async ({ signal }) => overview.parse(await api<unknown>('/overview', { signal })),
    staleTime: 30_000,
  });
}
