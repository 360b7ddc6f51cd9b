import type { OrganizationChangeRequest } from '@qiao/contracts';
import { Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageTitle } from '../../components/page-title.js';
import { QueryError } from '../../components/query-state.js';
import { formatInstant } from '../../lib/format.js';
import { useJurisdictionName } from './use-jurisdiction-name.js';
import { useChangeRequestQueue } from './organizations-api.js';

const fieldKeys = {
  name: 'organizations.name',
  kind: 'organizations.kind',
  uscc: 'organizations.uscc',
  personInCharge: 'organizations.personInCharge',
} as const;

/** Key-field changes officers asked for in the reader's subtree, oldest first; each opens its organization. */
export function ChangeRequestsPage() {
  const { t } = useTranslation();
  const query = useChangeRequestQueue();
  const nameOf = useJurisdictionName();
  return (
    <>
      <PageTitle title={t('changeRequests.queueTitle')} />
      {query.error ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <Table<OrganizationChangeRequest>
          rowKey="id"
          loading={query.isPending}
          dataSource={query.data ?? []}
          pagination={false}
          scroll={{ x: 'max-content' }}
          data-testid="change-request-table"
          locale={{ emptyText: t('changeRequests.queueEmpty') }}
          columns={[
            {
              key: 'organization',
              title: t('organizations.name'),
              render: (_, r) => (
                <Link to={`/organizations/${r.organizationId}`} data-testid={`change-request-open-${r.id}`}>
                  {r.organizationName}
                </Link>
              ),
            },
            {
              key: 'fields',
              title: t('changeRequests.fields'),
              render: (_, r) =>
                (Object.keys(r.changes) as (keyof typeof fieldKeys)[]).map((f) => t(fieldKeys[f])).join('、'),
            },
            { key: 'jurisdiction', title: t('organizations.jurisdiction'), render: (_, r) => nameOf(r.jurisdictionId) },
            { key: 'by', title: t('changeRequests.requestedBy'), render: (_, r) => r.requestedByName ?? '—' },
            { key: 'at', title: t('changeRequests.requestedAt'), render: (_, r) => formatInstant(r.requestedAt) },
          ]}
        />
      )}
    </>
  );
}
