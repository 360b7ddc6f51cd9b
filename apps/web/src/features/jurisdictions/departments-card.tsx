import { PlusOutlined } from '@ant-design/icons';
import type { Department } from '@qiao/contracts';
import { Button, Card, Space, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../components/query-state.js';
import { useDepartments } from '../../lib/shared-queries.js';
import { DepartmentModal } from './department-modal.js';

/** Government departments of one jurisdiction; cases and service projects are routed to them. */
export function DepartmentsCard({ jurisdictionId, canManage }: { jurisdictionId: number; canManage: boolean }) {
  const { t } = useTranslation();
  const { data, error, isLoading, refetch } = useDepartments(jurisdictionId);
  const [editing, setEditing] = useState<Department | null | undefined>(undefined);

  const columns: TableColumnsType<Department> = [
    { title: t('departments.name'), dataIndex: 'name', key: 'name' },
    {
      title: t('departments.kinds'),
      key: 'kinds',
      render: (_, department) => (
        <Space size={[4, 4]} wrap>
          {department.kinds.map((kind) => (
            <Tag key={kind}>{t(`departmentKinds.${kind}`)}</Tag>
          ))}
        </Space>
      ),
    },
  ];
  if (canManage) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      width: 100,
      render: (_, department) => (
        <Button
          type="link"
          size="small"
          onClick={() => setEditing(department)}
          aria-label={`${t('common.edit')} ${department.name}`}
        >
          {t('common.edit')}
        </Button>
      ),
    });
  }

  return (
    <Card
      title={t('departments.title')}
      extra={
        canManage && (
          <Button icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid="create-department">
            {t('departments.new')}
          </Button>
        )
      }
    >
      {error ? (
        <QueryError error={error} onRetry={() => void refetch()} />
      ) : (
        <Table<Department>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={data ?? []}
          loading={isLoading}
          pagination={false}
          data-testid="departments-table"
        />
      )}
      <DepartmentModal jurisdictionId={jurisdictionId} department={editing} onClose={() => setEditing(undefined)} />
    </Card>
  );
}
