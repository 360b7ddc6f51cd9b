import type { User } from '@qiao/contracts';
import { App, Button, Popconfirm, Space, Table, Tag, Tooltip } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth-context.js';
import { errorMessage } from '../../lib/errors.js';
import { formatInstant } from '../../lib/format.js';
import { jurisdictionName } from '../../lib/jurisdiction-tree.js';
import { useDepartments, useJurisdictions } from '../../lib/shared-queries.js';
import { useSetUserStatus } from './users-api.js';

interface Props {
  users: User[];
  loading: boolean;
  onEdit(user: User): void;
  onResetPassword(user: User): void;
}

function isLocked(user: User): boolean {
  return user.lockedUntil !== null && Date.parse(user.lockedUntil) > Date.now();
}

export function UsersTable({ users, loading, onEdit, onResetPassword }: Props) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { user: me, can } = useAuth();
  const { byId } = useJurisdictions();
  const departments = useDepartments(undefined, can('department:read'));
  const departmentName = (id: number | null) =>
    id === null ? undefined : departments.data?.find((d) => d.id === id)?.name;
  const setStatus = useSetUserStatus();

  const toggleStatus = async (user: User) => {
    const enable = user.status === 'disabled';
    try {
      await setStatus.mutateAsync({ id: user.id, enable });
      message.success(enable ? t('users.enabled') : t('users.disabled'));
    } catch (error) {
      message.error(errorMessage(t, error));
    }
  };

  const columns: TableColumnsType<User> = [
    { title: t('users.username'), dataIndex: 'username', key: 'username' },
    { title: t('users.displayName'), dataIndex: 'displayName', key: 'displayName' },
    { title: t('users.role'), key: 'role', render: (_, u) => t(`roles.${u.role}`) },
    {
      title: t('users.jurisdiction'),
      key: 'jurisdiction',
      render: (_, u) => (
        <>
          {jurisdictionName(byId.get(u.jurisdictionId), i18n.language)}
          {departmentName(u.departmentId) && <div style={{ opacity: 0.75 }}>{departmentName(u.departmentId)}</div>}
        </>
      ),
    },
    {
      title: t('users.status'),
      key: 'status',
      render: (_, u) => (
        <Space size={4} wrap>
          <Tag color={u.status === 'active' ? 'green' : 'default'}>{t(`statuses.${u.status}`)}</Tag>
          {isLocked(u) && (
            <Tooltip title={t('users.lockedUntil', { time: formatInstant(u.lockedUntil) })}>
              <Tag color="red" tabIndex={0}>
                {t('users.locked')}
              </Tag>
            </Tooltip>
          )}
        </Space>
      ),
    },
    {
      title: t('users.twoFactor'),
      key: 'totp',
      render: (_, u) => (
        <Tag color={u.totpEnabled ? 'blue' : 'default'}>{u.totpEnabled ? t('common.on') : t('common.off')}</Tag>
      ),
    },
    { title: t('users.lastLogin'), key: 'lastLoginAt', render: (_, u) => formatInstant(u.lastLoginAt) },
  ];

  if (can('user:manage')) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      render: (_, u) => (
        <Space size={0} wrap>
          <Button type="link" size="small" onClick={() => onEdit(u)} data-testid={`user-edit-${u.username}`}>
            {t('common.edit')}
          </Button>
          <Button type="link" size="small" onClick={() => onResetPassword(u)} data-testid={`user-reset-${u.username}`}>
            {t('users.resetPassword')}
          </Button>
          {u.id !== me?.id && (
            <Popconfirm
              title={
                u.status === 'active'
                  ? t('users.confirmDisable', { name: u.username })
                  : t('users.confirmEnable', { name: u.username })
              }
              onConfirm={() => toggleStatus(u)}
              okText={t('common.confirm')}
              cancelText={t('common.cancel')}
            >
              <Button type="link" size="small" danger={u.status === 'active'} data-testid={`user-toggle-${u.username}`}>
                {u.status === 'active' ? t('users.disable') : t('users.enable')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      ),
    });
  }

  return (
    <div data-testid="users-table">
      <Table<User>
        rowKey="id"
        columns={columns}
        dataSource={users}
        loading={loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
      />
    </div>
  );
}
