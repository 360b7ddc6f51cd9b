import { contactStatuses, organizationKinds, organizationStatuses, partyBranchKinds } from '@qiao/contracts';
import { Flex, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth-context.js';
import { JurisdictionTreeSelect } from '../../components/jurisdiction-tree-select.js';
import type { OrganizationFilters as Filters } from './organizations-api.js';
import { useFieldOptions } from '../../lib/service-fields.js';

const sorts = ['name', 'foundedOn', 'updatedAt'] as const;

/** Each filter applies as it is chosen; the search box on Enter or its button. */
export function OrganizationFilters({ value, onChange }: { value: Filters; onChange(next: Filters): void }) {
  const { t } = useTranslation();
  const fieldOptions = useFieldOptions({ all: true });
  const { can } = useAuth();
  const set = (patch: Filters) => onChange({ ...value, ...patch });
  return (
    <Flex wrap gap={12} style={{ marginBottom: 16 }} role="search">
      <Input.Search
        aria-label={t('organizations.search')}
        placeholder={t('organizations.search')}
        allowClear
        defaultValue={value.q}
        onSearch={(q) => set({ q: q.trim() || undefined })}
        enterButton={t('common.search')}
        style={{ width: 340 }}
        data-testid="org-search"
      />
      {can('jurisdiction:read') && (
        <div style={{ width: 240 }}>
          <JurisdictionTreeSelect
            aria-label={t('organizations.jurisdiction')}
            placeholder={t('users.allJurisdictions')}
            allowClear
            value={value.jurisdictionId}
            onChange={(jurisdictionId) => set({ jurisdictionId })}
            data-testid="org-filter-jurisdiction"
          />
        </div>
      )}
      <Select
        aria-label={t('organizations.kind')}
        placeholder={t('organizations.allKinds')}
        allowClear
        value={value.kind}
        onChange={(kind) => set({ kind })}
        options={organizationKinds.map((k) => ({ value: k, label: t(`orgKinds.${k}`) }))}
        style={{ width: 170 }}
        data-testid="org-filter-kind"
      />
      <Select
        aria-label={t('organizations.status')}
        placeholder={t('organizations.allStatuses')}
        allowClear
        value={value.status}
        onChange={(status) => set({ status })}
        options={organizationStatuses.map((s) => ({ value: s, label: t(`orgStatuses.${s}`) }))}
        style={{ width: 140 }}
        data-testid="org-filter-status"
      />
      <Select
        aria-label={t('organizations.fields')}
        placeholder={t('organizations.allFields')}
        allowClear
        value={value.field}
        onChange={(field) => set({ field })}
        options={fieldOptions}
        style={{ width: 160 }}
        data-testid="org-filter-field"
      />
      <Select
        aria-label={t('organizations.partyBranch')}
        placeholder={t('organizations.allPartyBranches')}
        allowClear
        value={value.partyBranch}
        onChange={(partyBranch) => set({ partyBranch })}
        options={partyBranchKinds.map((k) => ({ value: k, label: t(`partyBranchKinds.${k}`) }))}
        style={{ width: 180 }}
        data-testid="org-filter-party"
      />
      <Select
        aria-label={t('organizations.contactStatus')}
        placeholder={t('organizations.allContactStatuses')}
        allowClear
        value={value.contactStatus}
        onChange={(contactStatus) => set({ contactStatus })}
        options={contactStatuses.map((s) => ({ value: s, label: t(`contactStatuses.${s}`) }))}
        style={{ width: 140 }}
        data-testid="org-filter-contact"
      />
      <Select
        aria-label={t('organizations.sort')}
        value={value.sort ?? 'name'}
        onChange={(sort) => set({ sort: sort === 'name' ? undefined : sort })}
        options={sorts.map((s) => ({ value: s, label: t(`organizations.sortBy.${s}`) }))}
        style={{ width: 170 }}
        data-testid="org-filter-sort"
      />
    </Flex>
  );
}
