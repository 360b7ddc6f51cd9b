import { ApartmentOutlined, EnvironmentOutlined, ShopOutlined, TeamOutlined } from '@ant-design/icons';
import { Card, Col, Empty, Row, Statistic } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { PageTitle } from '../../components/page-title.js';
import { PageSpinner, QueryError } from '../../components/query-state.js';
import { useOverview } from './overview-api.js';
import { AuditPerDayChart, UsersByRoleChart } from './overview-charts.js';

function StatCard({ title, value, icon, testId }: { title: string; value: number; icon: ReactNode; testId: string }) {
  return (
    <Card data-testid={testId}>
      <Statistic title={title} value={value} prefix={icon} />
    </Card>
  );
}

export function OverviewPage() {
  const { t } = useTranslation();
  const { data, error, isPending, refetch } = useOverview();

  return (
    <>
      <PageTitle title={t('overview.title')} />
      {isPending && <PageSpinner />}
      {error && <QueryError error={error} onRetry={() => void refetch()} />}
      {data && (
        <>
          <Row gutter={[16, 16]}>
            <Col xs={24} sm={12} xl={6}>
              <StatCard
                testId="stat-users"
                title={t('overview.users')}
                value={Object.values(data.usersByRole).reduce((a, b) => a + b, 0)}
                icon={<TeamOutlined />}
              />
            </Col>
            <Col xs={24} sm={12} xl={6}>
              <StatCard
                testId="stat-districts"
                title={t('overview.districts')}
                value={data.jurisdictions.district}
                icon={<ApartmentOutlined />}
              />
            </Col>
            <Col xs={24} sm={12} xl={6}>
              <StatCard
                testId="stat-subdistricts"
                title={t('overview.subdistricts')}
                value={data.jurisdictions.subdistrict}
                icon={<EnvironmentOutlined />}
              />
            </Col>
            <Col xs={24} sm={12} xl={6}>
              <StatCard
                testId="stat-centers"
                title={t('overview.centers')}
                value={data.jurisdictions.centers}
                icon={<ShopOutlined />}
              />
            </Col>
          </Row>
          <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
            <Col xs={24} xl={12}>
              <Card title={t('overview.usersByRole')}>
                <UsersByRoleChart byRole={data.usersByRole} />
              </Card>
            </Col>
            <Col xs={24} xl={12}>
              <Card title={t('overview.auditPerDay')}>
                {data.auditByDay.length > 0 ? <AuditPerDayChart perDay={data.auditByDay} /> : <Empty />}
              </Card>
            </Col>
          </Row>
        </>
      )}
    </>
  );
}
