import { applicationStatuses } from '@qiao/contracts';
import type { Application, ApplicationStatus } from '@qiao/contracts';
import { Button, Flex, Segmented, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { KindTag } from '../../components/organization-tags.js';
import { PageTitle } from '../../components/page-title.js';
import { QueryError } from '../../components/query-state.js';
import { formatInstant } from '../../lib/format.js';
import { useJurisdictionName } from '../organizations/use-jurisdiction-name.js';
import { ApplicationStatusTag } from './application-status.js';
import { useApplications } from './applications-api.js';

const ALL = 'all';

/** The review queue of the reviewer's subtree, newest first, filtered by status (kept in the address). */
export function ApplicationsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const status = applicationStatuses.find((s) => s === params.get('status'));
  const query = useApplications(status);
  const nameOf = useJurisdictionName();
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <PageTitle title={t('applications.queueTitle')} />
      <Segmented<string>
        value={status ?? ALL}
        onChange={(value) => setParams(value === ALL ? {} : { status: value }, { replace: true })}
        options={[
          { value: ALL, label: t('applications.all') },
          ...applicationStatuses.map((s) => ({ value: s, label: t(`applicationStatuses.${s}`) })),
        ]}
        style={{ marginBottom: 16 }}
        data-testid="app-review-status-filter"
      />
      {query.error ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <Table<Application>
          rowKey="id"
          loading={query.isPending}
          dataSource={items}
          pagination={false}
          scroll={{ x: 'max-content' }}
          data-testid="app-review-table"
          locale={{ emptyText: t('applications.queueEmpty') }}
          columns={[
            {
              key: 'name',
              title: t('organizations.name'),
              render: (_, a) => (
                <Link to={`/applications/${a.id}`} data-testid={`app-review-open-${a.id}`}>
                  {a.organization.name}
                </Link>
              ),
            },
            { key: 'kind', title: t('organizations.kind'), render: (_, a) => <KindTag kind={a.organization.kind} /> },
            {
              key: 'jurisdiction',
              title: t('organizations.jurisdiction'),
              render: (_, a) => nameOf(a.organization.jurisdictionId),
            },
            {
              key: 'applicant',
              title: t('applications.applicant'),
              render: (_, a) => `${a.applicant.displayName} (${a.applicant.username})`,
            },
            {
              key: 'status',
              title: t('applications.status'),
              render: (_, a) => <ApplicationStatusTag status={a.status as ApplicationStatus} />,
            },
            { key: 'submitted', title: t('applications.submittedAt'), render: (_, a) => formatInstant(a.submittedAt) },
          ]}
        />
      )}
      <Flex justify="center" align="center" gap={16} style={{ marginTop: 16 }}>
        <Typography.Text type="secondary" aria-live="polite">
          {t('common.shown', { count: items.length })}
        </Typography.Text>
        {query.hasNextPage && (
          <Button onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        )}
      </Flex>
    </>
  );
}
