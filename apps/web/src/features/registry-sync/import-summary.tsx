import type { RegistryImportResult } from '@qiao/contracts';
import { Flex, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { RejectedRowsTable } from './rejected-rows-table.js';

/** An import's answer: the counts, the file's digest and the rejected rows by line. */
export function ImportSummary({ result }: { result: RegistryImportResult }) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={16} data-testid="sync-import-summary">
      <Flex gap={32} wrap>
        <Statistic title={t('registrySync.rows')} value={result.rows} />
        <Statistic title={t('registrySync.created')} value={result.created} />
        <Statistic title={t('registrySync.updated')} value={result.updated} />
        <Statistic title={t('registrySync.unchanged')} value={result.unchanged} />
        <Statistic
          title={t('registrySync.rejected')}
          value={result.rejectedCount}
          styles={{ content: result.rejectedCount > 0 ? { color: '#cf1322' } : {} }}
        />
      </Flex>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        SHA-256{' '}
        <Typography.Text code copyable>
          {result.sha256}
        </Typography.Text>
      </Typography.Text>
      {result.rejectedCount > 0 && (
        <RejectedRowsTable rows={result.rejected} total={result.rejectedCount} testId="sync-rejected-table" />
      )}
    </Flex>
  );
}
