import { LogoutOutlined } from '@ant-design/icons';
import { Button, Divider, Flex, Layout, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ElderlyToggle } from '../components/elderly-toggle.js';
import { LanguageSwitch } from '../components/language-switch.js';
import { NotificationBell } from '../features/notifications/notification-bell.js';
import { jurisdictionName } from '../lib/jurisdiction-tree.js';
import { useAuth } from './auth-context.js';

export function AppHeader() {
  const { t, i18n } = useTranslation();
  const { user, jurisdiction, logout, mfaSetupRequired, applicantOnly } = useAuth();
  const navigate = useNavigate();
  if (!user) return null;

  const onLogout = async () => {
    await logout();
    // Replaces the guard's redirect, which would carry this page as the next user's destination.
    await navigate('/login', { replace: true, state: null });
  };

  return (
    <Layout.Header
      style={{
        background: '#fff',
        borderBottom: '1px solid #f0f0f0',
        paddingInline: 24,
        height: 'auto',
        lineHeight: 'normal',
        paddingBlock: 12,
      }}
    >
      <Flex justify="flex-end" align="center" wrap gap={12}>
        <Flex align="center" gap={8} wrap data-testid="current-user">
          <Typography.Text strong>{user.displayName}</Typography.Text>
          <Tag color="blue" variant="outlined">
            {t(`roles.${user.role}`)}
          </Tag>
          {jurisdiction && (
            <Typography.Text type="secondary">{jurisdictionName(jurisdiction, i18n.language)}</Typography.Text>
          )}
        </Flex>
        <Divider orientation="vertical" />
        {!mfaSetupRequired && !applicantOnly && <NotificationBell />}
        <LanguageSwitch />
        <ElderlyToggle />
        <Button icon={<LogoutOutlined />} onClick={() => void onLogout()} data-testid="logout">
          {t('nav.logout')}
        </Button>
      </Flex>
    </Layout.Header>
  );
}
