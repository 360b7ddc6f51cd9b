import type { Notification, NotificationContacts, NotificationContactsBody } from '@qiao/contracts';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.js';

const key = ['notifications'] as const;

/** The header badge: polled, so a new case or escalation shows without reloading. */
export function useUnreadCount() {
  return useQuery({
    queryKey: [...key, 'unread'],
    queryFn: ({ signal }) => api<{ unread: number }>('/notifications/unread-count', { signal }),
    select: (data) => data.unread,
    refetchInterval: 30_000,
  });
}

export function useNotifications(unreadOnly: boolean) {
  return useInfiniteQuery({
    queryKey: [...key, 'list', unreadOnly],
    queryFn: ({ pageParam, signal }) =>
      api<{ items: Notification[]; nextCursor: string | null; unread: number }>('/notifications', {
        query: { unread: unreadOnly ? 'true' : undefined, limit: 20, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api<Notification>(`/notifications/${id}/read`, { method: 'POST', body: {} }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
}

export function useMarkAllRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api<{ marked: number }>('/notifications/read-all', { method: 'POST', body: {} }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
}

export function useContacts() {
  return useQuery({
    queryKey: [...key, 'contacts'],
    queryFn: ({ signal }) => api<NotificationContacts>('/notifications/contacts', { signal }),
  });
}

export function useUpdateContacts() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NotificationContactsBody) =>
      api<NotificationContacts>('/notifications/contacts', { method: 'PUT', body }),
    onSuccess: (data) => queryClient.setQueryData([...key, 'contacts'], data),
  });
}
