import type {
  activity,
  CreateOrganizationBody,
  ListOrganizationsQuery,
  Organization,
  OrganizationChangeRequest,
  OrganizationStatus,
  organizationVersion,
  Permission,
  UpdateOrganizationBody,
} from '@qiao/contracts';
import { organizationTransitions } from '@qiao/contracts';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.js';

// The contracts name these schemas but not (yet) their types; read them off the schemas.
export type Activity = (typeof activity)['_output'];
export type ActivityPhoto = Activity['photos'][number];
export type OrganizationVersion = (typeof organizationVersion)['_output'];

export type OrganizationFilters = Partial<
  Pick<
    ListOrganizationsQuery,
    'q' | 'kind' | 'status' | 'field' | 'partyBranch' | 'contactStatus' | 'jurisdictionId' | 'sort'
  >
>;

export interface ChangeStatusInput {
  status: OrganizationStatus;
  reason: string;
  effectiveOn?: string;
}

export interface RecordActivityInput {
  occurredOn: string;
  title: string;
  field?: string;
  participants?: number;
  beneficiaries?: number;
  description?: string;
}

export interface Revealed {
  idNumber: string | null;
  phone: string | null;
}

/** The lifecycle as the server enforces it, from contracts: every allowed move and who may make it. */
export const statusTransitions = organizationTransitions;

/** The statuses this person may move the organization to from where it stands. */
export function allowedTargets(
  status: OrganizationStatus,
  can: (permission: Permission) => boolean,
  isOwnOfficer: boolean,
): OrganizationStatus[] {
  return statusTransitions[status]
    .filter((rule) => rule.permissions.some((p) => can(p)) || (rule.ownOfficer === true && isOwnOfficer))
    .map((rule) => rule.to);
}

const PAGE_SIZE = 50;
const organizationsKey = ['organizations'] as const;
const organizationKey = (id: number) => [...organizationsKey, 'one', id] as const;

/** Keyset pages: each "load more" asks for the rows after the last one seen, in the chosen order. */
export function useOrganizations(filters: OrganizationFilters) {
  return useInfiniteQuery({
    queryKey: [...organizationsKey, 'list', filters],
    queryFn: ({ pageParam, signal }) =>
      api<{ items: Organization[]; nextCursor: string | null }>('/organizations', {
        query: { ...filters, limit: PAGE_SIZE, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useOrganization(id: number) {
  return useQuery({
    queryKey: organizationKey(id),
    queryFn: ({ signal }) => api<Organization>(`/organizations/${id}`, { signal }),
  });
}

export function useOrganizationVersions(id: number, enabled = true) {
  return useQuery({
    queryKey: [...organizationKey(id), 'versions'],
    queryFn: ({ signal }) => api<{ items: OrganizationVersion[] }>(`/organizations/${id}/versions`, { signal }),
    select: (data) => data.items,
    enabled,
  });
}

export function useActivities(id: number, enabled = true) {
  return useQuery({
    queryKey: [...organizationKey(id), 'activities'],
    queryFn: ({ signal }) => api<{ items: Activity[] }>(`/organizations/${id}/activities`, { signal }),
    select: (data) => data.items,
    enabled,
  });
}

/** Every write changes the list and the one organization (and its history): refetch them all. */
function useOrganizationMutation<I, O>(run: (input: I) => Promise<O>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: organizationsKey }),
  });
}

export function useCreateOrganization() {
  return useOrganizationMutation((body: CreateOrganizationBody) =>
    api<Organization>('/organizations', { method: 'POST', body }),
  );
}

export function useUpdateOrganization(id: number) {
  return useOrganizationMutation((body: UpdateOrganizationBody) =>
    api<Organization>(`/organizations/${id}`, { method: 'PATCH', body }),
  );
}

export function useChangeStatus(id: number) {
  return useOrganizationMutation((body: ChangeStatusInput) =>
    api<Organization>(`/organizations/${id}/status`, { method: 'POST', body }),
  );
}

export function useRecordActivity(id: number) {
  return useOrganizationMutation((body: RecordActivityInput) =>
    api<Activity>(`/organizations/${id}/activities`, { method: 'POST', body }),
  );
}

/** Where an activity's photo is served (the session cookie goes with an <img>'s request). */
export function activityPhotoUrl(organizationId: number, activityId: number, photoId: number): string {
  return `/api/organizations/${organizationId}/activities/${activityId}/photos/${photoId}`;
}

/** Adds one photo to an activity (multipart, field `file`). */
export function useAddActivityPhoto(id: number) {
  return useOrganizationMutation(({ activityId, file }: { activityId: number; file: File }) => {
    const body = new FormData();
    body.append('file', file, file.name);
    return api<ActivityPhoto>(`/organizations/${id}/activities/${activityId}/photos`, { method: 'POST', body });
  });
}

export function useDeleteActivityPhoto(id: number) {
  return useOrganizationMutation(({ activityId, photoId }: { activityId: number; photoId: number }) =>
    api<null>(`/organizations/${id}/activities/${activityId}/photos/${photoId}`, { method: 'DELETE' }),
  );
}

/** Not cached: the revealed values live only in the component that asked, for as long as it shows them. */
export function useReveal(id: number) {
  return useMutation({
    mutationFn: (reason: string) => api<Revealed>(`/organizations/${id}/reveal`, { method: 'POST', body: { reason } }),
  });
}

/** The organization's latest key-field change request (pending, or the last decision and its reason). */
export function useChangeRequest(id: number) {
  return useQuery({
    queryKey: [...organizationKey(id), 'change-request'],
    queryFn: ({ signal }) =>
      api<{ item: OrganizationChangeRequest | null }>(`/organizations/${id}/change-request`, { signal }),
    select: (data) => data.item,
  });
}

export function useApproveChangeRequest() {
  return useOrganizationMutation((requestId: number) =>
    api<OrganizationChangeRequest>(`/organization-change-requests/${requestId}/approve`, { method: 'POST' }),
  );
}

export function useRejectChangeRequest() {
  return useOrganizationMutation(({ requestId, reason }: { requestId: number; reason: string }) =>
    api<OrganizationChangeRequest>(`/organization-change-requests/${requestId}/reject`, {
      method: 'POST',
      body: { reason },
    }),
  );
}

/** The review queue of the reader's subtree. */
export function useChangeRequestQueue() {
  return useQuery({
    queryKey: [...organizationsKey, 'change-requests'],
    queryFn: ({ signal }) =>
      api<{ items: OrganizationChangeRequest[] }>('/organization-change-requests', { query: { limit: 200 }, signal }),
    select: (data) => data.items,
  });
}
