import { CheckOutlined } from '@ant-design/icons';
import { Badge, Button, Card, Empty, Flex, List, Segmented, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { PageTitle } from '../../components/page-title.js';
import { QueryError } from '../../components/query-state.js';
import { formatInstant } from '../../lib/format.js';
import { ContactsCard } from './contacts-card.js';
import { notificationText } from './notification-text.js';
import { useMarkAllRead, useMarkRead, useNotifications } from './notifications-api.js';

/** My inbox: newest first; opening one marks it read and goes where it points. */
export function NotificationsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [filter, setFilter] = useState<'unread' | 'all'>('unread');
  const query = useNotifications(filter === 'unread');
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const unread = query.data?.pages[0]?.unread ?? 0;

  const open = async (id: number, link: string | null, read: boolean) => {
    if (!read) await markRead.mutateAsync(id);
    if (link) await navigate(link);
  };

  return (
    <>
      <PageTitle
        title={t('notifications.title')}
        extra={
          <Space wrap>
            <Segmented
              value={filter}
              onChange={(v) => setFilter(v as 'unread' | 'all')}
              options={[
                { value: 'unread', label: t('notifications.unreadOnly') },
                { value: 'all', label: t('notifications.all') },
              ]}
              data-testid="notifications-filter"
            />
            <Button
              icon={<CheckOutlined />}
              disabled={unread === 0}
              loading={markAll.isPending}
              onClick={() => markAll.mutate()}
              data-testid="notifications-read-all"
            >
              {t('notifications.markAllRead')}
            </Button>
          </Space>
        }
      />
      {query.error ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <Card>
          <List
            loading={query.isPending}
            dataSource={items}
            locale={{ emptyText: <Empty description={t('notifications.empty')} /> }}
            data-testid="notifications-list"
            renderItem={(n) => (
              <List.Item
                key={n.id}
                data-testid={`notification-${n.id}`}
                actions={[
                  !n.readAt && (
                    <Button key="read" size="small" onClick={() => markRead.mutate(n.id)}>
                      {t('notifications.markRead')}
                    </Button>
                  ),
                ]}
              >
                <List.Item.Meta
                  avatar={<Badge status={n.readAt ? 'default' : 'processing'} />}
                  title={
                    <Typography.Link onClick={() => void open(n.id, n.link, Boolean(n.readAt))} strong={!n.readAt}>
                      {notificationText(t, n)}
                    </Typography.Link>
                  }
                  description={formatInstant(n.createdAt)}
                />
              </List.Item>
            )}
          />
          {query.hasNextPage && (
            <Flex justify="center" style={{ marginTop: 16 }}>
              <Button onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>
                {t('common.loadMore')}
              </Button>
            </Flex>
          )}
        </Card>
      )}
      <ContactsCard />
    </>
  );
}
