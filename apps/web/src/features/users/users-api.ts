import type { CreateUserBody, ListUsersQuery, Organization, UpdateUserBody, User } from '@qiao/contracts';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.js';

export type UserFilters = Partial<Pick<ListUsersQuery, 'q' | 'role' | 'status' | 'jurisdictionId'>>;

const PAGE_SIZE = 50;
const usersKey = ['users'] as const;

/** Keyset pages of users: each "load more" asks for the ids after the last one seen. */
export function useUsers(filters: UserFilters) {
  return useInfiniteQuery({
    queryKey: [...usersKey, filters],
    queryFn: ({ pageParam, signal }) =>
      api<{ items: User[]; nextCursor: string | null }>('/users', {
        query: { ...filters, limit: PAGE_SIZE, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

function useUserMutation<I>(run: (input: I) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: usersKey }),
  });
}

export function useCreateUser() {
  return useUserMutation((body: CreateUserBody) => api<User>('/users', { method: 'POST', body }));
}

export function useUpdateUser() {
  return useUserMutation(({ id, body }: { id: number; body: UpdateUserBody }) =>
    api<User>(`/users/${id}`, { method: 'PATCH', body }),
  );
}

export function useSetUserStatus() {
  return useUserMutation(({ id, enable }: { id: number; enable: boolean }) =>
    api<User>(`/users/${id}/${enable ? 'enable' : 'disable'}`, { method: 'POST' }),
  );
}

export function useResetPassword() {
  return useUserMutation(({ id, password }: { id: number; password: string }) =>
    api<void>(`/users/${id}/password`, { method: 'POST', body: { password } }),
  );
}

/** The organizations of one subdistrict, to place an organization officer with the one it acts for. */
export function useOrganizationOptions(jurisdictionId: number | undefined, enabled: boolean) {
  return useQuery({
    // Under 'organizations', so creating or renaming one refreshes the choice.
    queryKey: ['organizations', 'options', jurisdictionId],
    queryFn: ({ signal }) =>
      api<{ items: Organization[]; nextCursor: string | null }>('/organizations', {
        query: { jurisdictionId, limit: 200 },
        signal,
      }),
    select: (data) => data.items,
    enabled: enabled && jurisdictionId !== undefined,
    staleTime: 60_000,
  });
}
