import { BellOutlined } from '@ant-design/icons';
import { Badge, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useUnreadCount } from './notifications-api.js';

/** The header's way into the inbox, with the unread count on it. */
export function NotificationBell() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { data: unread = 0 } = useUnreadCount();
  const label = unread > 0 ? t('notifications.bellUnread', { count: unread }) : t('notifications.bell');
  return (
    <Badge count={unread} overflowCount={99} data-testid="notification-badge">
      <Button
        icon={<BellOutlined />}
        aria-label={label}
        title={label}
        onClick={() => void navigate('/notifications')}
        data-testid="notification-bell"
      />
    </Badge>
  );
}
