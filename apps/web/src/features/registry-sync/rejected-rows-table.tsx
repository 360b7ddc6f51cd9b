import type { RegistryImportResult } from '@qiao/contracts';
import { Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

type Rejected = RegistryImportResult['rejected'][number];

/** The rows the server refused, by line in the file, with each field's reason. */
export function RejectedRowsTable({ rows, total, testId }: { rows: Rejected[]; total: number; testId: string }) {
  const { t } = useTranslation();
  return (
    <>
      {total > rows.length && (
        <Typography.Text type="secondary">
          {t('registrySync.rejectedTruncated', { shown: rows.length, total })}
        </Typography.Text>
      )}
      <Table<Rejected>
        size="small"
        rowKey="line"
        data-testid={testId}
        dataSource={rows}
        pagination={rows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        columns={[
          { key: 'line', title: t('registrySync.line'), dataIndex: 'line', width: 90 },
          {
            key: 'errors',
            title: t('registrySync.errors'),
            render: (_, row) => (
              <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                {row.errors.map((error) => (
                  <li key={`${error.field}-${error.code}`}>
                    <Typography.Text code>{error.field}</Typography.Text>{' '}
                    {t(`registrySync.codes.${error.code}`, { defaultValue: error.code })}
                  </li>
                ))}
              </ul>
            ),
          },
        ]}
      />
    </>
  );
}
