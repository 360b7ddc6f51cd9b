import { roles, userStatuses } from '@qiao/contracts';
import { Flex, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { JurisdictionTreeSelect } from '../../components/jurisdiction-tree-select.js';
import type { UserFilters as Filters } from './users-api.js';

export function UserFilters({ value, onChange }: { value: Filters; onChange(next: Filters): void }) {
  const { t } = useTranslation();
  const set = (patch: Filters) => onChange({ ...value, ...patch });
  return (
    <Flex wrap gap={12} style={{ marginBottom: 16 }} role="search">
      <Input.Search
        aria-label={t('users.search')}
        placeholder={t('users.search')}
        allowClear
        defaultValue={value.q}
        onSearch={(q) => set({ q: q.trim() || undefined })}
        enterButton={t('common.search')}
        style={{ width: 300 }}
        data-testid="users-filter-q"
      />
      <Select
        aria-label={t('users.role')}
        placeholder={t('users.allRoles')}
        allowClear
        value={value.role}
        onChange={(role) => set({ role })}
        options={roles.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
        style={{ width: 180 }}
      />
      <Select
        aria-label={t('users.status')}
        placeholder={t('users.allStatuses')}
        allowClear
        value={value.status}
        onChange={(status) => set({ status })}
        options={userStatuses.map((status) => ({ value: status, label: t(`statuses.${status}`) }))}
        style={{ width: 140 }}
      />
      <div style={{ width: 260 }}>
        <JurisdictionTreeSelect
          aria-label={t('users.jurisdiction')}
          placeholder={t('users.allJurisdictions')}
          allowClear
          value={value.jurisdictionId}
          onChange={(jurisdictionId) => set({ jurisdictionId })}
        />
      </div>
    </Flex>
  );
}
