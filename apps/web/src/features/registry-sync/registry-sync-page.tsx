import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import type { RegistryImportJob, RegistryReconciliation } from '@qiao/contracts';
import { exportFormats } from '@qiao/contracts';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Flex,
  Progress,
  Space,
  Spin,
  Statistic,
  Table,
  Tabs,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageTitle } from '../../components/page-title.js';
import { errorMessage } from '../../lib/errors.js';
import { ImportJobsCard } from './import-jobs-card.js';
import { ImportSummary } from './import-summary.js';
import { RejectedRowsTable } from './rejected-rows-table.js';
import {
  filingsExportUrl,
  jobPercent,
  useImportJob,
  useImportRegistry,
  useReconcileRegistry,
  useStartImportJob,
} from './registry-sync-api.js';

const ACCEPT = '.csv,.txt,.jsonl,.ndjson,.json';

/** A file picker that hands the file to `onFile` instead of uploading it itself. */
function FileButton({
  busy,
  onFile,
  label,
  testId,
}: {
  busy: boolean;
  onFile(file: File): void;
  label: string;
  testId: string;
}) {
  return (
    <Upload
      accept={ACCEPT}
      showUploadList={false}
      maxCount={1}
      disabled={busy}
      beforeUpload={(file) => {
        onFile(file);
        return false;
      }}
    >
      <Button type="primary" icon={<UploadOutlined />} loading={busy} data-testid={testId}>
        {label}
      </Button>
    </Upload>
  );
}

function Working() {
  const { t } = useTranslation();
  return (
    <Flex vertical align="center" gap={8} style={{ padding: 24 }} aria-live="polite">
      <Spin size="large" />
      <Typography.Text type="secondary">{t('registrySync.working')}</Typography.Text>
    </Flex>
  );
}

/** A background import as it runs: a bar over the file's lines, the counts so far, then the summary. */
function JobProgress({ job }: { job: RegistryImportJob }) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={16} data-testid="sync-job" data-status={job.status}>
      <div aria-live="polite">
        <Typography.Text>
          {t(`registrySync.job.${job.status}`, { name: job.filename ?? '', rows: job.rows })}
        </Typography.Text>
        <Progress
          percent={jobPercent(job)}
          status={job.status === 'failed' ? 'exception' : job.status === 'done' ? 'success' : 'active'}
          data-testid="sync-job-progress"
        />
      </div>
      {job.status === 'running' && (
        <Flex gap={32} wrap>
          <Statistic title={t('registrySync.rows')} value={job.rows} />
          <Statistic title={t('registrySync.created')} value={job.created} />
          <Statistic title={t('registrySync.updated')} value={job.updated} />
          <Statistic title={t('registrySync.unchanged')} value={job.unchanged} />
          <Statistic title={t('registrySync.rejected')} value={job.rejectedCount} />
        </Flex>
      )}
      {job.status === 'failed' && (
        <Alert
          type="error"
          showIcon
          title={t('registrySync.job.failedTitle')}
          description={
            job.errorFields.length
              ? job.errorFields.map((f) => `${f.field}: ${t(`registrySync.codes.${f.code}`, f.code)}`).join('；')
              : job.error
          }
          data-testid="sync-job-error"
        />
      )}
      {job.result && <ImportSummary result={job.result} />}
    </Flex>
  );
}

function ImportCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const run = useImportRegistry();
  const start = useStartImportJob();
  const [background, setBackground] = useState(false);
  const [jobId, setJobId] = useState<number | null>(null);
  const job = useImportJob(jobId);
  const busy = run.isPending || start.isPending || job.data?.status === 'running';
  const onFile = (file: File) => {
    if (background) {
      run.reset();
      start.mutate(file, { onSuccess: (started) => setJobId(started.id) });
      return;
    }
    setJobId(null);
    start.reset();
    run.mutate(file, {
      onSuccess: () => message.success(t('registrySync.imported', { name: file.name })),
    });
  };
  const error = run.error ?? start.error ?? job.error;
  return (
    <Card
      title={t('registrySync.importTitle')}
      extra={
        <Space>
          <Checkbox
            checked={background}
            disabled={busy}
            onChange={(e) => setBackground(e.target.checked)}
            data-testid="sync-import-background"
          >
            {t('registrySync.background')}
          </Checkbox>
          <FileButton busy={busy} label={t('registrySync.chooseFile')} testId="sync-import-upload" onFile={onFile} />
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('registrySync.importHint')}</Typography.Paragraph>
      {background && <Typography.Paragraph type="secondary">{t('registrySync.backgroundHint')}</Typography.Paragraph>}
      {(run.isPending || start.isPending) && <Working />}
      {error && <Alert type="error" showIcon title={errorMessage(t, error)} data-testid="sync-import-error" />}
      {run.data && !run.isPending && <ImportSummary result={run.data} />}
      {jobId !== null && job.data && <JobProgress job={job.data} />}
    </Card>
  );
}

function ReconcileResult({ result }: { result: RegistryReconciliation }) {
  const { t } = useTranslation();
  return (
    <Tabs
      data-testid="sync-reconcile-result"
      items={[
        {
          key: 'differing',
          label: t('registrySync.differing', { count: result.differing.length }),
          children: (
            <Table
              size="small"
              rowKey="uscc"
              dataSource={result.differing}
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              columns={[
                {
                  key: 'uscc',
                  title: t('organizations.uscc'),
                  render: (_, row) => <Link to={`/organizations/${row.id}`}>{row.uscc}</Link>,
                },
                {
                  key: 'fields',
                  title: t('registrySync.fields'),
                  render: (_, row) => (
                    <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                      {row.fields.map((f) => (
                        <li key={f.field}>
                          <Typography.Text code>{f.field}</Typography.Text>{' '}
                          {t('registrySync.fileVsQiao', { file: f.file ?? '—', qiao: f.qiao ?? '—' })}
                        </li>
                      ))}
                    </ul>
                  ),
                },
              ]}
            />
          ),
        },
        {
          key: 'onlyInFile',
          label: t('registrySync.onlyInFile', { count: result.onlyInFile.length }),
          children: (
            <Table
              size="small"
              rowKey="uscc"
              dataSource={result.onlyInFile}
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              columns={[
                { key: 'uscc', title: t('organizations.uscc'), dataIndex: 'uscc' },
                { key: 'name', title: t('organizations.name'), dataIndex: 'name' },
              ]}
            />
          ),
        },
        {
          key: 'onlyInQiao',
          label: t('registrySync.onlyInQiao', { count: result.onlyInQiao.length }),
          children: (
            <Table
              size="small"
              rowKey="id"
              dataSource={result.onlyInQiao}
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              columns={[
                { key: 'uscc', title: t('organizations.uscc'), dataIndex: 'uscc' },
                {
                  key: 'name',
                  title: t('organizations.name'),
                  render: (_, row) => <Link to={`/organizations/${row.id}`}>{row.name}</Link>,
                },
              ]}
            />
          ),
        },
        ...(result.rejectedCount > 0
          ? [
              {
                key: 'rejected',
                label: t('registrySync.rejectedTab', { count: result.rejectedCount }),
                children: (
                  <RejectedRowsTable
                    rows={result.rejected}
                    total={result.rejectedCount}
                    testId="sync-reconcile-rejected"
                  />
                ),
              },
            ]
          : []),
      ]}
    />
  );
}

function ReconcileCard() {
  const { t } = useTranslation();
  const run = useReconcileRegistry();
  return (
    <Card
      title={t('registrySync.reconcileTitle')}
      extra={
        <FileButton
          busy={run.isPending}
          label={t('registrySync.chooseFile')}
          testId="sync-reconcile-upload"
          onFile={(file) => run.mutate(file)}
        />
      }
    >
      <Typography.Paragraph type="secondary">{t('registrySync.reconcileHint')}</Typography.Paragraph>
      {run.isPending && <Working />}
      {run.error && <Alert type="error" showIcon title={errorMessage(t, run.error)} />}
      {run.data && !run.isPending && <ReconcileResult result={run.data} />}
    </Card>
  );
}

function FilingsExportCard() {
  const { t } = useTranslation();
  return (
    <Card title={t('registrySync.filingsTitle')}>
      <Typography.Paragraph type="secondary">{t('registrySync.filingsHint')}</Typography.Paragraph>
      <Space wrap>
        {exportFormats.map((format) => (
          <Button
            key={format}
            icon={<DownloadOutlined />}
            href={filingsExportUrl(format)}
            download
            data-testid={`sync-filings-${format}`}
          >
            {t(`registrySync.download.${format}`)}
          </Button>
        ))}
      </Space>
    </Card>
  );
}

/** The bureau's registry: import its export, compare it with Qiao, and hand back the filings. */
export function RegistrySyncPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle title={t('registrySync.title')} />
      <Flex vertical gap={16}>
        <ImportCard />
        <ImportJobsCard />
        <ReconcileCard />
        <FilingsExportCard />
      </Flex>
    </>
  );
}
