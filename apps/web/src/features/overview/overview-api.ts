import type { Role } from '@qiao/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api.js';

/**
 * GET /api/overview, counted within the caller's subtree. The schema lives in the server's route
 * for now; it belongs in @qiao/contracts so this type can be inferred from it.
 */
export interface Overview {
  jurisdictions: { district: number; subdistrict: number; centers: number };
  usersByRole: Record<Role, number>;
  auditByDay: { day: string; count: number }[];
}

export function useOverview() {
  return useQuery({
    queryKey: ['overview'],
    queryFn: ({ signal }) => api<Overview>('/overview', { signal }),
    staleTime: 30_000,
  });
}
