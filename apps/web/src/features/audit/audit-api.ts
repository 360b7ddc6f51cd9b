import type { AuditEvent, ListAuditEventsQuery } from '@qiao/contracts';
import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { api, toQueryString } from '../../lib/api.js';

export type AuditFilters = Partial<Pick<ListAuditEventsQuery, 'actor' | 'entityType' | 'action' | 'from' | 'to'>>;

export interface AuditChainReport {
  ok: boolean;
  checked: number;
  brokenAt?: number;
}

const PAGE_SIZE = 100;

/** Newest first, keyset pages: the cursor is the last id seen. */
export function useAuditEvents(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: ['audit-events', filters],
    queryFn: ({ pageParam, signal }) =>
      api<{ items: AuditEvent[]; nextCursor: string | null }>('/audit-events', {
        query: { ...filters, limit: PAGE_SIZE, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** The export answers CSV for the same filters; a plain link lets the browser download it. */
export function exportUrl(filters: AuditFilters): string {
  return `/api/audit-events/export${toQueryString(filters)}`;
}

export function useVerifyChain() {
  return useMutation({ mutationFn: () => api<AuditChainReport>('/audit-events/verify') });
}
