import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, isApiError } from '../../lib/api.js';
import type { Volunteer, VolunteerHours, VolunteerShift } from './households-api.js';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const myKey = ['my-volunteer'] as const;

/** The volunteer record linked to the signed-in account; a 404 means none is linked. */
export function useMyVolunteer() {
  return useQuery({
    queryKey: [...myKey, 'record'],
    queryFn: ({ signal }) => api<Volunteer>('/my/volunteer', { signal }),
    retry: (count, error) => !isApiError(error, 'not_found') && count < 2,
  });
}

export function useMyHours(enabled: boolean) {
  return useQuery({
    queryKey: [...myKey, 'hours'],
    queryFn: ({ signal }) => api<Page<VolunteerHours>>('/my/volunteer-hours', { query: { limit: 200 }, signal }),
    select: (d) => d.items,
    enabled,
  });
}

export function useMyShifts(enabled: boolean) {
  return useQuery({
    queryKey: [...myKey, 'shifts'],
    queryFn: ({ signal }) => api<Page<VolunteerShift>>('/my/volunteer-shifts', { query: { limit: 50 }, signal }),
    select: (d) => d.items,
    enabled,
  });
}

/** The form asks for hours; the server's `minutes` errors are shown under that field. */
function asHoursField(error: unknown): unknown {
  if (!isApiError(error) || !error.fieldErrors.some((f) => f.field === 'minutes')) return error;
  return new ApiError(error.status, {
    ...error.problem,
    code: error.code,
    errors: error.fieldErrors.map((f) => (f.field === 'minutes' ? { ...f, field: 'hours' } : f)),
  });
}

export function useLogMyHours() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { shiftId?: number; workedOn: string; minutes: number; description?: string }) =>
      api<VolunteerHours>('/my/volunteer-hours', { method: 'POST', body }).catch((e: unknown) => {
        throw asHoursField(e);
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: myKey }),
  });
}

/** Staff link (or unlink, with null) a volunteer record to the volunteer's own account. */
export function useUpdateVolunteerAccount() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { id: number; userId: number | null }) =>
      api<Volunteer>(`/volunteers/${input.id}`, { method: 'PATCH', body: { userId: input.userId } }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['volunteers'] }),
  });
}
