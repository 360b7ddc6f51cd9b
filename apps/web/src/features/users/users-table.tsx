import { DownOutlined } from '@ant-design/icons';
import type { User } from '@qiao/contracts';
import { App, Button, Dropdown, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { MenuProps, TableColumnsType } from 'antd';
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
  const { message, modal } = App.useApp();
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

  const confirmToggle = (user: User) => {
    const disable = user.status === 'active';
    void modal.confirm({
      title: disable
        ? t('users.confirmDisable', { name: user.username })
        : t('users.confirmEnable', { name: user.username }),
      okText: disable ? t('users.disable') : t('users.enable'),
      okButtonProps: { danger: disable },
      cancelText: t('common.cancel'),
      onOk: () => toggleStatus(user),
    });
  };

  /** The rarer actions sit behind "More", so the column stays narrow enough for 1440 px without scrolling. */
  const moreActions = (u: User): MenuProps['items'] => [
    {
      key: 'reset',
      label: <span data-testid={`user-reset-${u.username}`}>{t('users.resetPassword')}</span>,
      onClick: () => onResetPassword(u),
    },
    ...(u.id === me?.id
      ? []
      : [
          {
            key: 'toggle',
            danger: u.status === 'active',
            label: (
              <span data-testid={`user-toggle-${u.username}`}>
                {u.status === 'active' ? t('users.disable') : t('users.enable')}
              </span>
            ),
            onClick: () => confirmToggle(u),
          },
        ]),
  ];

  const columns: TableColumnsType<User> = [
    {
      title: t('users.account'),
      key: 'account',
      render: (_, u) => (
        <>
          <div>{u.displayName}</div>
          <Typography.Text type="secondary">{u.username}</Typography.Text>
        </>
      ),
    },
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
    {
      title: t('users.lastLogin'),
      key: 'lastLoginAt',
      render: (_, u) => <span style={{ whiteSpace: 'nowrap' }}>{formatInstant(u.lastLoginAt)}</span>,
    },
  ];

  if (can('user:manage')) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      render: (_, u) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => onEdit(u)} data-testid={`user-edit-${u.username}`}>
            {t('common.edit')}
          </Button>
          <Dropdown menu={{ items: moreActions(u) }} trigger={['click']}>
            <Button
              type="link"
              size="small"
              aria-label={`${t('common.more')}: ${u.username}`}
              data-testid={`user-more-${u.username}`}
            >
              <Space size={4}>
                {t('common.more')}
                <DownOutlined />
              </Space>
            </Button>
          </Dropdown>
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
        // A minimum width, not 'max-content': from 1440 px (large text too) long names wrap in
        // their cells instead of pushing the last columns under the fixed actions column.
        tableLayout="auto"
        scroll={{ x: 1040 }}
      />
    </div>
  );
}
