import { DownOutlined, DownloadOutlined } from '@ant-design/icons';
import { exportFormats, type ExportFormat } from '@qiao/contracts';
import { Alert, Button, Dropdown, Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth-context.js';
import { FormModal } from '../../components/form-modal.js';
import type { QueryValue } from '../../lib/api.js';
import { registryPermissions } from '../../lib/registry-permissions.js';
import { organizationsExportUrl } from './registry-sync-api.js';

/** Starts a download of `url` as a link click would, keeping the page. */
function download(url: string) {
  const link = document.createElement('a');
  link.href = url;
  link.download = '';
  document.body.append(link);
  link.click();
  link.remove();
}

/**
 * Downloads the organization list with the filters it shows now, as CSV or XLSX, personal data
 * masked; roles that may reveal personal data can ask for it in clear, giving the reason the audit
 * trail keeps.
 */
export function ExportMenu({ filters }: { filters: Record<string, QueryValue> }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [revealing, setRevealing] = useState<ExportFormat | null>(null);
  const [form] = Form.useForm<{ reason: string }>();
  const masked = exportFormats.map((format) => ({
    key: format,
    label: (
      <a href={organizationsExportUrl(format, filters)} download data-testid={`export-${format}`}>
        {t(`registrySync.download.${format}`)}
      </a>
    ),
  }));
  const revealed = can(registryPermissions.reveal)
    ? [
        { type: 'divider' as const },
        ...exportFormats.map((format) => ({
          key: `reveal-${format}`,
          label: <span data-testid={`export-reveal-${format}`}>{t(`registrySync.revealedDownload.${format}`)}</span>,
          onClick: () => setRevealing(format),
        })),
      ]
    : [];
  return (
    <>
      <Dropdown trigger={['click']} menu={{ items: [...masked, ...revealed] }}>
        <Button icon={<DownloadOutlined />} data-testid="export-menu">
          {t('registrySync.export')} <DownOutlined />
        </Button>
      </Dropdown>
      <FormModal<{ reason: string }>
        open={revealing !== null}
        title={t('registrySync.revealTitle')}
        form={form}
        onClose={() => setRevealing(null)}
        submit={async (values) => {
          download(organizationsExportUrl(revealing!, filters, { reason: values.reason.trim() }));
        }}
        submitTestId="export-reveal-submit"
        submitText={t('registrySync.revealSubmit')}
      >
        <Alert type="warning" showIcon title={t('registrySync.revealWarning')} style={{ marginBottom: 16 }} />
        <Form.Item
          name="reason"
          label={t('organizations.revealReason')}
          rules={[
            { required: true, whitespace: true, message: t('organizations.reasonRequired') },
            { min: 2, message: t('organizations.revealReasonShort') },
            { max: 500 },
          ]}
        >
          <Input.TextArea rows={2} maxLength={500} data-testid="export-reveal-reason" />
        </Form.Item>
      </FormModal>
    </>
  );
}
