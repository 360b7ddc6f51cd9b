import type { RegistryImportJobSummary } from '@qiao/contracts';
import { Alert, Button, Card, Flex, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../components/query-state.js';
import { formatInstant } from '../../lib/format.js';
import { ImportSummary } from './import-summary.js';
import { useImportJob, useImportJobList } from './registry-sync-api.js';

const stateColors = { running: 'processing', done: 'success', failed: 'error' } as const;

/** One job opened in the list: its summary and rejected rows, or why it failed (read when opened). */
function JobDetail({ id }: { id: number }) {
  const { t } = useTranslation();
  const job = useImportJob(id);
  if (job.error) return <QueryError error={job.error} onRetry={() => void job.refetch()} />;
  if (!job.data) return <Typography.Text type="secondary">{t('common.loading')}</Typography.Text>;
  if (job.data.status === 'failed')
    return (
      <Alert
        type="error"
        showIcon
        title={t('registrySync.job.failedTitle')}
        description={
          job.data.errorFields.length
            ? job.data.errorFields.map((f) => `${f.field}: ${t(`registrySync.codes.${f.code}`, f.code)}`).join('；')
            : job.data.error
        }
      />
    );
  if (!job.data.result)
    return <Typography.Text type="secondary">{t('registrySync.jobs.stillRunning')}</Typography.Text>;
  return <ImportSummary result={job.data.result} />;
}

/**
 * The background imports the reader started or that were started in its jurisdiction: who, when,
 * which file, the counts and the state; a row opens the job's summary and rejected rows. Finished
 * jobs are kept for a configured number of days (docs/ops.md).
 */
export function ImportJobsCard() {
  const { t } = useTranslation();
  const list = useImportJobList();
  const jobs = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card title={t('registrySync.jobs.title')}>
      <Typography.Paragraph type="secondary">{t('registrySync.jobs.hint')}</Typography.Paragraph>
      {list.error ? (
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <Flex vertical gap={12}>
          <Table<RegistryImportJobSummary>
            size="small"
            rowKey="id"
            data-testid="sync-jobs"
            loading={list.isPending}
            dataSource={jobs}
            pagination={false}
            scroll={{ x: 900 }}
            locale={{ emptyText: t('registrySync.jobs.empty') }}
            expandable={{
              expandedRowRender: (job) => <JobDetail id={job.id} />,
              rowExpandable: (job) => job.status !== 'running',
            }}
            columns={[
              {
                key: 'startedAt',
                title: t('registrySync.jobs.startedAt'),
                render: (_, j) => formatInstant(j.startedAt),
              },
              { key: 'startedBy', title: t('registrySync.jobs.startedBy'), dataIndex: 'startedBy' },
              {
                key: 'filename',
                title: t('registrySync.jobs.file'),
                render: (_, j) => (
                  <Typography.Text ellipsis={{ tooltip: j.filename }}>{j.filename ?? '—'}</Typography.Text>
                ),
              },
              {
                key: 'state',
                title: t('registrySync.jobs.state'),
                render: (_, j) => (
                  <Tag color={stateColors[j.status]} data-testid={`sync-job-state-${j.id}`}>
                    {t(`registrySync.jobs.states.${j.status}`)}
                  </Tag>
                ),
              },
              { key: 'rows', title: t('registrySync.rows'), dataIndex: 'rows', align: 'right' },
              { key: 'created', title: t('registrySync.created'), dataIndex: 'created', align: 'right' },
              { key: 'updated', title: t('registrySync.updated'), dataIndex: 'updated', align: 'right' },
              { key: 'unchanged', title: t('registrySync.unchanged'), dataIndex: 'unchanged', align: 'right' },
              {
                key: 'rejected',
                title: t('registrySync.rejected'),
                align: 'right',
                render: (_, j) => (
                  <Typography.Text type={j.rejectedCount > 0 ? 'danger' : undefined}>{j.rejectedCount}</Typography.Text>
                ),
              },
              {
                key: 'finishedAt',
                title: t('registrySync.jobs.finishedAt'),
                render: (_, j) => (j.finishedAt ? formatInstant(j.finishedAt) : '—'),
              },
            ]}
          />
          {list.hasNextPage && (
            <Button
              onClick={() => void list.fetchNextPage()}
              loading={list.isFetchingNextPage}
              style={{ alignSelf: 'center' }}
            >
              {t('common.loadMore')}
            </Button>
          )}
        </Flex>
      )}
    </Card>
  );
}
