import { PlusOutlined } from '@ant-design/icons';
import { contactStatuses, organizationKinds, organizationStatuses, partyBranchKinds } from '@qiao/contracts';
import { Button, Flex, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useAuth } from '../../app/auth-context.js';
import { PageTitle } from '../../components/page-title.js';
import { QueryError } from '../../components/query-state.js';
import { registryPermissions } from '../../lib/registry-permissions.js';
import { ExportMenu } from '../registry-sync/export-menu.js';
import { OrganizationFilters } from './organization-filters.js';
import { OrganizationFormModal } from './organization-form-modal.js';
import { OrganizationsTable } from './organizations-table.js';
import { useOrganizations } from './organizations-api.js';
import type { OrganizationFilters as Filters } from './organizations-api.js';

function oneOf<T extends string>(list: readonly T[], value: string | null): T | undefined {
  return list.find((item) => item === value);
}

/** The filters live in the address, so the list comes back as it was after opening an organization. */
function readFilters(params: URLSearchParams): Filters {
  const jurisdictionId = Number(params.get('jurisdictionId'));
  const filters: Filters = {
    q: params.get('q') ?? undefined,
    kind: oneOf(organizationKinds, params.get('kind')),
    status: oneOf(organizationStatuses, params.get('status')),
    field: /^[a-z][a-z0-9_]{1,39}$/.test(params.get('field') ?? '') ? params.get('field')! : undefined,
    partyBranch: oneOf(partyBranchKinds, params.get('partyBranch')),
    contactStatus: oneOf(contactStatuses, params.get('contactStatus')),
    jurisdictionId: Number.isInteger(jurisdictionId) && jurisdictionId > 0 ? jurisdictionId : undefined,
    sort: oneOf(['foundedOn', 'updatedAt'] as const, params.get('sort')),
  };
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)) as Filters;
}

function writeFilters(filters: Filters): Record<string, string> {
  return Object.fromEntries(
    Object.entries(filters)
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => [k, String(v)]),
  );
}

export function OrganizationsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => readFilters(params), [params]);
  const [creating, setCreating] = useState(false);
  const query = useOrganizations(filters);
  const organizations = query.data?.pages.flatMap((page) => page.items) ?? [];

  const actions = (
    <Space wrap>
      <ExportMenu filters={filters} />
      {can(registryPermissions.manage) && (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="org-create">
          {t('organizations.create')}
        </Button>
      )}
    </Space>
  );

  return (
    <>
      <PageTitle title={t('organizations.title')} extra={actions} />
      <OrganizationFilters value={filters} onChange={(next) => setParams(writeFilters(next), { replace: true })} />
      {query.error ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <OrganizationsTable organizations={organizations} loading={query.isPending} />
      )}
      <Flex justify="center" align="center" gap={16} style={{ marginTop: 16 }}>
        <Typography.Text type="secondary" aria-live="polite">
          {t('common.shown', { count: organizations.length })}
        </Typography.Text>
        {query.hasNextPage && (
          <Button
            onClick={() => void query.fetchNextPage()}
            loading={query.isFetchingNextPage}
            data-testid="orgs-load-more"
          >
            {t('common.loadMore')}
          </Button>
        )}
      </Flex>
      <OrganizationFormModal
        organization={creating ? null : undefined}
        onClose={() => setCreating(false)}
        onCreated={(created) => void navigate(`/organizations/${created.id}`)}
      />
    </>
  );
}
