import { Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useHouseholds } from './households-api.js';

/** Finds a household by the head's name, card number, phone or ID number, instead of an internal number. */
export function HouseholdPicker({
  value,
  onChange,
  id,
  'data-testid': testId,
}: {
  value?: number;
  onChange?: (v?: number) => void;
  id?: string;
  'data-testid'?: string;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState<string>();
  const query = useHouseholds({ q });
  const rows = query.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Select
      id={id}
      data-testid={testId}
      showSearch
      allowClear
      value={value}
      onChange={onChange}
      filterOption={false}
      onSearch={(text) => setQ(text.trim() || undefined)}
      loading={query.isFetching}
      placeholder={t('households.searchPlaceholder')}
      notFoundContent={t('households.noMatch')}
      options={rows.map((h) => ({
        value: h.id,
        label: `${h.headName} · ${h.idNumber}${h.cardNumber ? ` · ${h.cardNumber}` : ''}`,
      }))}
    />
  );
}
