import { Alert, Card, Col, Descriptions, Flex, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth-context.js';
import { ElderlyToggle } from '../../components/elderly-toggle.js';
import { LanguageSwitch } from '../../components/language-switch.js';
import { PageTitle } from '../../components/page-title.js';
import { formatInstant } from '../../lib/format.js';
import { jurisdictionName } from '../../lib/jurisdiction-tree.js';
import { ChangePasswordCard } from './change-password-card.js';
import { TwoFactorCard } from './two-factor-card.js';

function ProfileCard() {
  const { t, i18n } = useTranslation();
  const { user, jurisdiction } = useAuth();
  if (!user) return null;
  return (
    <Card title={t('account.profile')}>
      <Descriptions
        column={1}
        items={[
          { key: 'username', label: t('users.username'), children: user.username },
          { key: 'displayName', label: t('users.displayName'), children: user.displayName },
          { key: 'role', label: t('users.role'), children: t(`roles.${user.role}`) },
          {
            key: 'jurisdiction',
            label: t('users.jurisdiction'),
            children: jurisdictionName(jurisdiction ?? undefined, i18n.language),
          },
          { key: 'lastLogin', label: t('users.lastLogin'), children: formatInstant(user.lastLoginAt) },
        ]}
      />
    </Card>
  );
}

function PreferencesCard() {
  const { t } = useTranslation();
  return (
    <Card title={t('account.preferences')}>
      <Flex vertical gap={16}>
        <Flex align="center" gap={12} wrap>
          <span>{t('preferences.language')}</span>
          <LanguageSwitch testId="account-language-switch" />
        </Flex>
        <ElderlyToggle testId="account-elderly-toggle" />
        <span style={{ opacity: 0.8 }}>{t('preferences.elderlyHint')}</span>
      </Flex>
    </Card>
  );
}

/** Shown while the role's required two-factor sign-in is not set up: why the rest of Qiao is closed. */
function MfaSetupAlert() {
  const { t } = useTranslation();
  const { user } = useAuth();
  if (!user) return null;
  return (
    <Alert
      type="warning"
      showIcon
      title={t('account.mfaRequiredTitle', { role: t(`roles.${user.role}`) })}
      description={t('account.mfaRequiredText')}
      style={{ marginBottom: 16 }}
      data-testid="mfa-setup-required"
    />
  );
}

export function AccountPage() {
  const { t } = useTranslation();
  const { mfaSetupRequired } = useAuth();
  return (
    <>
      <PageTitle title={t('account.title')} />
      {mfaSetupRequired && <MfaSetupAlert />}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={10}>
          <Flex vertical gap={16}>
            <ProfileCard />
            <PreferencesCard />
          </Flex>
        </Col>
        <Col xs={24} xl={14}>
          <Flex vertical gap={16}>
            <TwoFactorCard />
            <ChangePasswordCard />
          </Flex>
        </Col>
      </Row>
    </>
  );
}
