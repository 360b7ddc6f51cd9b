import type { Organization } from '@qiao/contracts';
import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../lib/api.js';

interface Props {
  id?: string;
  value?: number;
  onChange?: (value: number | undefined) => void;
}

/** Finds an organization in the caller's scope by name, for a case about one (a complaint, say). */
export function OrganizationPicker({ id, value, onChange }: Props) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), 300);
    return () => clearTimeout(timer);
  }, [typed]);
  const query = useQuery({
    queryKey: ['cases', 'organization-picker', q],
    queryFn: ({ signal }) =>
      api<{ items: Organization[] }>('/organizations', { query: { q: q || undefined, limit: 20 }, signal }),
    select: (data) => data.items,
    staleTime: 30_000,
  });
  return (
    <Select
      id={id}
      allowClear
      showSearch
      filterOption={false}
      value={value}
      onChange={(v: number | undefined) => onChange?.(v)}
      onSearch={setTyped}
      loading={query.isFetching}
      placeholder={t('cases.organizationPlaceholder')}
      notFoundContent={query.isFetching ? null : undefined}
      options={(query.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
      data-testid="case-organization"
    />
  );
}
