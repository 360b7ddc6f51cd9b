import { PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth-context.js';
import { QueryError } from '../../components/query-state.js';
import { registryPermissions } from '../../lib/registry-permissions.js';
import { ActivityFormModal } from './activity-form-modal.js';
import { ActivityPhotos } from './activity-photos.js';
import { useActivities } from './organizations-api.js';
import type { Activity } from './organizations-api.js';
import { useFieldLabel } from '../../lib/service-fields.js';

/** What the organization has been doing, newest first, and a way to record the next thing. */
export function ActivitiesPanel({ organizationId, fields }: { organizationId: number; fields: readonly string[] }) {
  const { t } = useTranslation();
  const fieldLabel = useFieldLabel();
  const { can } = useAuth();
  const [recording, setRecording] = useState(false);
  const query = useActivities(organizationId);

  const columns: TableColumnsType<Activity> = [
    {
      title: t('activities.occurredOn'),
      dataIndex: 'occurredOn',
      key: 'occurredOn',
      width: 120,
      render: (value: string) => <span style={{ whiteSpace: 'nowrap' }}>{value}</span>,
    },
    {
      title: t('activities.title'),
      key: 'title',
      render: (_, a) => (
        <>
          <Typography.Text strong>{a.title}</Typography.Text>
          {a.description && (
            <Typography.Paragraph
              type="secondary"
              style={{ margin: '4px 0 0', whiteSpace: 'pre-wrap' }}
              ellipsis={{ rows: 3, expandable: 'collapsible' }}
            >
              {a.description}
            </Typography.Paragraph>
          )}
        </>
      ),
    },
    {
      title: t('activities.field'),
      key: 'field',
      render: (_, a) => (a.field ? <Tag>{fieldLabel(a.field)}</Tag> : '—'),
    },
    {
      title: t('activities.participants'),
      dataIndex: 'participants',
      key: 'participants',
      align: 'right',
      render: (v: number | null) => v ?? '—',
    },
    {
      title: t('activities.beneficiaries'),
      dataIndex: 'beneficiaries',
      key: 'beneficiaries',
      align: 'right',
      render: (v: number | null) => v ?? '—',
    },
    {
      title: t('activities.photos'),
      key: 'photos',
      width: 200,
      render: (_, a) => (
        <ActivityPhotos
          organizationId={organizationId}
          activity={a}
          canAdd={can(registryPermissions.recordActivity)}
          canDelete={can(registryPermissions.manage)}
        />
      ),
    },
    {
      title: t('activities.recordedBy'),
      dataIndex: 'recordedBy',
      key: 'recordedBy',
      render: (v: string | null) => v ?? '—',
    },
  ];

  return (
    <>
      {can(registryPermissions.recordActivity) && (
        <Flex justify="flex-end" style={{ marginBottom: 12 }}>
          <Button icon={<PlusOutlined />} onClick={() => setRecording(true)} data-testid="org-activity-record">
            {t('activities.record')}
          </Button>
        </Flex>
      )}
      {query.error ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <div data-testid="org-activities">
          <Table<Activity>
            rowKey="id"
            columns={columns}
            dataSource={query.data ?? []}
            loading={query.isPending}
            pagination={(query.data?.length ?? 0) > 20 ? { pageSize: 20, showSizeChanger: false } : false}
            locale={{ emptyText: t('activities.empty') }}
            scroll={{ x: 960 }}
          />
        </div>
      )}
      <ActivityFormModal
        organizationId={organizationId}
        defaultField={fields.length === 1 ? fields[0] : undefined}
        open={recording}
        onClose={() => setRecording(false)}
      />
    </>
  );
}
