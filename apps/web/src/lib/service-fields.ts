import {
  listPublicServiceFieldsResponse,
  listServiceFieldsResponse,
  type CreateServiceFieldBody,
  type ServiceField,
  type UpdateServiceFieldBody,
} from '@qiao/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from './api.js';

export type { ServiceField };
type Labelled = Pick<ServiceField, 'code' | 'labelZh' | 'labelEn' | 'retired'>;

/** The taxonomy as a signed-in user reads it (retired fields included, flagged). */
export function useServiceFields(enabled = true) {
  return useQuery({
    queryKey: ['service-fields'],
    enabled,
    queryFn: async ({ signal }) =>
      listServiceFieldsResponse.parse(await api<unknown>('/service-fields', { signal })).items,
    staleTime: 5 * 60_000,
  });
}

/** The same list for pages without a session (the public directory, the application form). */
export function usePublicServiceFields(enabled = true) {
  return useQuery({
    queryKey: ['service-fields', 'public'],
    enabled,
    queryFn: async ({ signal }) =>
      listPublicServiceFieldsResponse.parse(await api<unknown>('/public/service-fields', { signal })).items,
    staleTime: 5 * 60_000,
  });
}

/**
 * A field code → its label in the reader's language, from the list when it has loaded; the built-in
 * translation of the seeded twelve (or the code itself) until then.
 */
export function useFieldLabel(publicList = false) {
  const { t, i18n } = useTranslation();
  // Only the list the page may read is fetched: a page without a session never asks the signed-in one.
  const signedIn = useServiceFields(!publicList);
  const anonymous = usePublicServiceFields(publicList);
  const items: Labelled[] | undefined = publicList ? anonymous.data : signedIn.data;
  const byCode = new Map((items ?? []).map((f) => [f.code, f]));
  return (code: string) => {
    const f = byCode.get(code);
    if (f) return i18n.language === 'en' ? f.labelEn : f.labelZh;
    return t(`serviceFields.${code}`, { defaultValue: code });
  };
}

/**
 * Options for a picker: the fields in use (not retired), plus any retired one the record already has
 * (`kept`), so an edit keeps it, marked retired; `all` lists retired ones too (filters).
 */
export function useFieldOptions(
  { kept = [], all = false, publicList = false } = {} as {
    kept?: readonly string[];
    all?: boolean;
    publicList?: boolean;
  },
) {
  const { t } = useTranslation();
  const label = useFieldLabel(publicList);
  const signedIn = useServiceFields(!publicList);
  const anonymous = usePublicServiceFields(publicList);
  const items: Labelled[] = (publicList ? anonymous.data : signedIn.data) ?? [];
  return items
    .filter((f) => all || !f.retired || kept.includes(f.code))
    .map((f) => ({
      value: f.code,
      label: f.retired ? t('common.retiredField', { label: label(f.code) }) : label(f.code),
    }));
}

function useInvalidate() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ['service-fields'] });
}

export function useCreateServiceField() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: CreateServiceFieldBody) => api<ServiceField>('/service-fields', { method: 'POST', body }),
    onSuccess: invalidate,
  });
}

export function useUpdateServiceField() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ code, body }: { code: string; body: UpdateServiceFieldBody }) =>
      api<ServiceField>(`/service-fields/${encodeURIComponent(code)}`, { method: 'PATCH', body }),
    onSuccess: invalidate,
  });
}
