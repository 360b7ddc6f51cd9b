import {
  AlertOutlined,
  ExperimentOutlined,
  FileProtectOutlined,
  HeartOutlined,
  HomeOutlined,
  ReconciliationOutlined,
  ShopOutlined,
  TrophyOutlined,
} from '@ant-design/icons';
import { Card, Col, Flex, Row, Space, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAuth } from '../../app/auth-context.js';
import { PageTitle } from '../../components/page-title.js';
import { registryPermissions } from '../../lib/registry-permissions.js';

/** `…Key` properties hold literal keys so the locale test can check them. */
const facets: { nameKey: string; textKey: string; icon: ReactNode; path?: string }[] = [
  {
    nameKey: 'facets.registration.name',
    textKey: 'facets.registration.text',
    icon: <FileProtectOutlined />,
    path: '/organizations',
  },
  { nameKey: 'facets.management.name', textKey: 'facets.management.text', icon: <ReconciliationOutlined /> },
  { nameKey: 'facets.coordination.name', textKey: 'facets.coordination.text', icon: <HomeOutlined /> },
  { nameKey: 'facets.earlyWarning.name', textKey: 'facets.earlyWarning.text', icon: <AlertOutlined /> },
  { nameKey: 'facets.evaluations.name', textKey: 'facets.evaluations.text', icon: <TrophyOutlined /> },
  { nameKey: 'facets.incubator.name', textKey: 'facets.incubator.text', icon: <ExperimentOutlined /> },
  { nameKey: 'facets.supermarket.name', textKey: 'facets.supermarket.text', icon: <ShopOutlined /> },
  { nameKey: 'facets.adoptions.name', textKey: 'facets.adoptions.text', icon: <HeartOutlined /> },
];

/** Home for roles whose facets are not built yet: who they are, what is coming, where to go now. */
export function WelcomePage() {
  const { t } = useTranslation();
  const { user, can } = useAuth();
  if (!user) return null;
  return (
    <>
      <PageTitle title={t('welcome.title', { name: user.displayName })} />
      <Typography.Paragraph style={{ maxWidth: 760 }}>
        {t('welcome.intro', { role: t(`roles.${user.role}`) })}
      </Typography.Paragraph>
      <Space wrap style={{ marginBottom: 24 }}>
        {can(registryPermissions.read) && <Link to="/organizations">{t('welcome.openOrganizations')}</Link>}
        {can('audit:read') && <Link to="/audit">{t('welcome.openAudit')}</Link>}
        {can('jurisdiction:read') && <Link to="/jurisdictions">{t('welcome.openJurisdictions')}</Link>}
        <Link to="/account">{t('welcome.openAccount')}</Link>
      </Space>
      <Typography.Title level={4}>{t('welcome.comingTitle')}</Typography.Title>
      <Row gutter={[16, 16]}>
        {facets.map((facet) => (
          <Col xs={24} sm={12} xl={6} key={facet.nameKey}>
            <Card size="small" style={{ height: '100%' }}>
              <Flex justify="space-between" align="flex-start" gap={8}>
                <Typography.Title level={5} style={{ margin: 0 }}>
                  <Space>
                    {facet.icon}
                    {t(facet.nameKey)}
                  </Space>
                </Typography.Title>
                {facet.path && can(registryPermissions.read) ? (
                  <Link to={facet.path}>
                    <Tag color="blue" style={{ marginInlineEnd: 0 }}>
                      {t('welcome.open')}
                    </Tag>
                  </Link>
                ) : (
                  <Tag style={{ marginInlineEnd: 0 }}>{t('welcome.coming')}</Tag>
                )}
              </Flex>
              <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
                {t(facet.textKey)}
              </Typography.Paragraph>
            </Card>
          </Col>
        ))}
      </Row>
    </>
  );
}
