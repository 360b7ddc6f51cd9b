import type { CenterBody, CreateJurisdictionBody, Department, DepartmentKind, Jurisdiction } from '@qiao/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.js';
import { sharedKeys } from '../../lib/shared-queries.js';

export interface RenameJurisdictionInput {
  name: string;
  nameEn: string | null;
}

export interface DepartmentInput {
  name: string;
  kinds: DepartmentKind[];
}

function useInvalidateJurisdictions() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: sharedKeys.jurisdictions });
}

export function useCreateJurisdiction() {
  const invalidate = useInvalidateJurisdictions();
  return useMutation({
    mutationFn: (body: CreateJurisdictionBody) => api<Jurisdiction>('/jurisdictions', { method: 'POST', body }),
    onSuccess: invalidate,
  });
}

export function useRenameJurisdiction(id: number) {
  const invalidate = useInvalidateJurisdictions();
  return useMutation({
    mutationFn: (body: RenameJurisdictionInput) => api<Jurisdiction>(`/jurisdictions/${id}`, { method: 'PATCH', body }),
    onSuccess: invalidate,
  });
}

export function useSaveCenter(id: number) {
  const invalidate = useInvalidateJurisdictions();
  return useMutation({
    mutationFn: (body: CenterBody) => api<Jurisdiction>(`/jurisdictions/${id}/center`, { method: 'PUT', body }),
    onSuccess: invalidate,
  });
}

/** Creates a department of the jurisdiction, or renames one when `departmentId` is given. */
export function useSaveDepartment(jurisdictionId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ departmentId, ...body }: DepartmentInput & { departmentId?: number }) =>
      departmentId === undefined
        ? api<Department>('/departments', { method: 'POST', body: { ...body, jurisdictionId } })
        : api<Department>(`/departments/${departmentId}`, { method: 'PATCH', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['departments'] }),
  });
}
