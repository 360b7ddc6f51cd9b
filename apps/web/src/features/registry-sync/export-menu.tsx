import { DownOutlined, DownloadOutlined } from '@ant-design/icons';
import { exportFormats } from '@qiao/contracts';
import { Button, Dropdown } from 'antd';
import { useTranslation } from 'react-i18next';
import type { QueryValue } from '../../lib/api.js';
import { organizationsExportUrl } from './registry-sync-api.js';

/** Downloads the organization list with the filters it shows now, as CSV or XLSX. */
export function ExportMenu({ filters }: { filters: Record<string, QueryValue> }) {
  const { t } = useTranslation();
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: exportFormats.map((format) => ({
          key: format,
          label: (
            <a href={organizationsExportUrl(format, filters)} download data-testid={`export-${format}`}>
              {t(`registrySync.download.${format}`)}
            </a>
          ),
        })),
      }}
    >
      <Button icon={<DownloadOutlined />} data-testid="export-menu">
        {t('registrySync.export')} <DownOutlined />
      </Button>
    </Dropdown>
  );
}
