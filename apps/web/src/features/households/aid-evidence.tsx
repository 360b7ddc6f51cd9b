import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { documentContentTypes, type AidEvidenceFile } from '@qiao/contracts';
import { App, Button, Flex, Table, Typography, Upload } from 'antd';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../components/query-state.js';
import { errorMessage } from '../../lib/errors.js';
import { formatInstant } from '../../lib/format.js';
import { aidEvidenceUrl, useAidEvidence, useUploadAidEvidence } from './aid-evidence-api.js';

const MAX_BYTES = 10 * 1024 * 1024;

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * The scanned evidence of one aid application: its files with downloads (the server records each
 * download), and an upload for center staff. The server judges the type by content; the checks
 * here only spare a wasted upload.
 */
export function AidEvidenceFiles({ applicationId, canUpload }: { applicationId: number; canUpload: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const query = useAidEvidence(applicationId);
  const upload = useUploadAidEvidence(applicationId);

  const pick = (file: File) => {
    if (!(documentContentTypes as readonly string[]).includes(file.type)) {
      message.error(t('aidEvidence.wrongType'));
      return false;
    }
    if (file.size > MAX_BYTES) {
      message.error(t('aidEvidence.tooLarge'));
      return false;
    }
    upload.mutate(file, {
      onSuccess: (f) => message.success(t('aidEvidence.uploaded', { name: f.fileName })),
      onError: (error) => message.error(errorMessage(t, error)),
    });
    return false;
  };

  return (
    <div data-testid={`aid-evidence-${applicationId}`}>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 8 }}>
        <Typography.Text strong>{t('aidEvidence.title')}</Typography.Text>
        {canUpload && (
          <Upload accept=".pdf,.jpg,.jpeg,.png" showUploadList={false} beforeUpload={pick} maxCount={1}>
            <Button
              icon={<UploadOutlined />}
              loading={upload.isPending}
              data-testid={`aid-evidence-upload-${applicationId}`}
            >
              {t('aidEvidence.upload')}
            </Button>
          </Upload>
        )}
      </Flex>
      {query.error ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <Table<AidEvidenceFile>
          size="small"
          rowKey="id"
          loading={query.isPending}
          pagination={false}
          dataSource={query.data ?? []}
          locale={{ emptyText: t('aidEvidence.empty') }}
          columns={[
            { key: 'name', title: t('aidEvidence.fileName'), dataIndex: 'fileName' },
            { key: 'size', title: t('aidEvidence.size'), render: (_, f) => size(f.size) },
            { key: 'by', title: t('aidEvidence.uploadedBy'), render: (_, f) => f.uploadedBy ?? '—' },
            { key: 'at', title: t('aidEvidence.uploadedAt'), render: (_, f) => formatInstant(f.createdAt) },
            {
              key: 'download',
              title: t('common.actions'),
              render: (_, f) => (
                <a
                  href={aidEvidenceUrl(applicationId, f.id)}
                  download={f.fileName}
                  data-testid={`aid-evidence-download-${f.id}`}
                >
                  <DownloadOutlined /> {t('aidEvidence.download')}
                </a>
              ),
            },
          ]}
        />
      )}
      {canUpload && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {t('aidEvidence.hint')}
        </Typography.Paragraph>
      )}
    </div>
  );
}
