import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { documentContentTypes, documentTypes } from '@qiao/contracts';
import type { DocumentType } from '@qiao/contracts';
import { App, Button, Card, Flex, Select, Table, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../components/query-state.js';
import { errorMessage } from '../../lib/errors.js';
import { formatInstant } from '../../lib/format.js';
import { documentUrl, useDocuments, useUploadDocument } from './applications-api.js';

const MAX_BYTES = 10 * 1024 * 1024;

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** An organization's documents: the list with downloads, and an upload for those who may add one. */
export function DocumentsCard({ organizationId, canUpload }: { organizationId: number; canUpload: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const query = useDocuments(organizationId);
  const upload = useUploadDocument(organizationId);
  const [type, setType] = useState<DocumentType>('charter');

  const pick = (file: File) => {
    if (!(documentContentTypes as readonly string[]).includes(file.type)) {
      message.error(t('documents.wrongType'));
      return false;
    }
    if (file.size > MAX_BYTES) {
      message.error(t('documents.tooLarge'));
      return false;
    }
    upload.mutate(
      { type, file },
      {
        onSuccess: (doc) => message.success(t('documents.uploaded', { name: doc.fileName })),
        onError: (error) => message.error(errorMessage(t, error)),
      },
    );
    return false;
  };

  return (
    <Card
      title={t('documents.title')}
      size="small"
      data-testid="documents-card"
      extra={
        canUpload && (
          <Flex gap={8} wrap>
            <Select<DocumentType>
              value={type}
              onChange={setType}
              popupMatchSelectWidth={false}
              aria-label={t('documents.type')}
              data-testid="document-type"
              options={documentTypes.map((d) => ({ value: d, label: t(`documentTypes.${d}`) }))}
            />
            <Upload accept=".pdf,.jpg,.jpeg,.png" showUploadList={false} beforeUpload={pick} maxCount={1}>
              <Button icon={<UploadOutlined />} loading={upload.isPending} data-testid="document-upload">
                {t('documents.upload')}
              </Button>
            </Upload>
          </Flex>
        )
      }
    >
      {query.error ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <Table
          size="small"
          rowKey="id"
          loading={query.isPending}
          pagination={false}
          dataSource={query.data ?? []}
          locale={{ emptyText: t('documents.empty') }}
          data-testid="documents-table"
          columns={[
            {
              key: 'type',
              title: t('documents.type'),
              render: (_, d) => t(`documentTypes.${d.type}`),
            },
            { key: 'name', title: t('documents.fileName'), dataIndex: 'fileName' },
            { key: 'size', title: t('documents.size'), render: (_, d) => size(d.size) },
            { key: 'at', title: t('documents.uploadedAt'), render: (_, d) => formatInstant(d.createdAt) },
            {
              key: 'download',
              title: t('common.actions'),
              render: (_, d) => (
                <a
                  href={documentUrl(organizationId, d.id)}
                  download={d.fileName}
                  data-testid={`document-download-${d.id}`}
                >
                  <DownloadOutlined /> {t('documents.download')}
                </a>
              ),
            },
          ]}
        />
      )}
      {canUpload && <div style={{ marginTop: 8, color: 'rgba(0,0,0,0.45)' }}>{t('documents.hint')}</div>}
    </Card>
  );
}
