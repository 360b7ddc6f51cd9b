import { DownloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageTitle } from '../../components/page-title.js';
import { QueryError } from '../../components/query-state.js';
import { errorMessage } from '../../lib/errors.js';
import { exportUrl, useAuditEvents, useVerifyChain } from './audit-api.js';
import type { AuditFilters as Filters } from './audit-api.js';
import { AuditFilters } from './audit-filters.js';
import { AuditTable } from './audit-table.js';

function ChainReport({ verify }: { verify: ReturnType<typeof useVerifyChain> }) {
  const { t } = useTranslation();
  if (verify.error) return <Alert type="error" showIcon title={errorMessage(t, verify.error)} role="alert" />;
  if (!verify.data) return null;
  const report = verify.data;
  return report.ok ? (
    <Alert
      type="success"
      showIcon
      title={t('audit.chainOk', { count: report.checked })}
      role="status"
      data-testid="audit-chain-result"
    />
  ) : (
    <Alert
      type="error"
      showIcon
      title={t('audit.chainBroken', { id: report.brokenAt ?? '?', count: report.checked })}
      description={t('audit.chainBrokenHint')}
      role="alert"
      data-testid="audit-chain-result"
    />
  );
}

export function AuditPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<Filters>({});
  const query = useAuditEvents(filters);
  const verify = useVerifyChain();
  const events = query.data?.pages.flatMap((page) => page.items) ?? [];

  const actions = (
    <Space wrap>
      <Button icon={<DownloadOutlined />} href={exportUrl(filters)} data-testid="audit-export">
        {t('audit.export')}
      </Button>
      <Button
        icon={<SafetyCertificateOutlined />}
        onClick={() => verify.mutate()}
        loading={verify.isPending}
        data-testid="audit-verify"
      >
        {t('audit.verify')}
      </Button>
    </Space>
  );

  return (
    <>
      <PageTitle title={t('audit.title')} extra={actions} />
      <div style={{ marginBottom: 16 }}>
        <ChainReport verify={verify} />
      </div>
      <AuditFilters onChange={setFilters} />
      {query.error ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <AuditTable events={events} loading={query.isPending} />
      )}
      <Flex justify="center" align="center" gap={16} style={{ marginTop: 16 }}>
        <Typography.Text type="secondary" aria-live="polite">
          {t('common.shown', { count: events.length })}
        </Typography.Text>
        {query.hasNextPage && (
          <Button
            onClick={() => void query.fetchNextPage()}
            loading={query.isFetchingNextPage}
            data-testid="audit-load-more"
          >
            {t('common.loadMore')}
          </Button>
        )}
      </Flex>
    </>
  );
}
