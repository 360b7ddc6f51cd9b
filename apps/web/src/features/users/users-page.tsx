import { PlusOutlined } from '@ant-design/icons';
import type { User } from '@qiao/contracts';
import { Button, Flex, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth-context.js';
import { PageTitle } from '../../components/page-title.js';
import { QueryError } from '../../components/query-state.js';
import { ResetPasswordModal } from './reset-password-modal.js';
import { UserFilters } from './user-filters.js';
import { UserFormModal } from './user-form-modal.js';
import { UsersTable } from './users-table.js';
import { useUsers } from './users-api.js';
import type { UserFilters as Filters } from './users-api.js';

export function UsersPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [filters, setFilters] = useState<Filters>({});
  const [editing, setEditing] = useState<User | null | undefined>(undefined);
  const [resetting, setResetting] = useState<User>();
  const query = useUsers(filters);
  const users = query.data?.pages.flatMap((page) => page.items) ?? [];
  const canCreate = can('user:manage') || can('user:create_volunteer');

  const createButton = canCreate && (
    <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid="create-user">
      {can('user:manage') ? t('users.create') : t('users.createVolunteer')}
    </Button>
  );

  return (
    <>
      <PageTitle title={t('users.title')} extra={createButton} />
      <UserFilters value={filters} onChange={setFilters} />
      {query.error ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <UsersTable users={users} loading={query.isPending} onEdit={setEditing} onResetPassword={setResetting} />
      )}
      <Flex justify="center" align="center" gap={16} style={{ marginTop: 16 }}>
        <Typography.Text type="secondary" aria-live="polite">
          {t('common.shown', { count: users.length })}
        </Typography.Text>
        {query.hasNextPage && (
          <Button
            onClick={() => void query.fetchNextPage()}
            loading={query.isFetchingNextPage}
            data-testid="users-load-more"
          >
            {t('common.loadMore')}
          </Button>
        )}
      </Flex>
      <UserFormModal user={editing} onClose={() => setEditing(undefined)} />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(undefined)} />
    </>
  );
}
