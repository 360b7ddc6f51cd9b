import { riskLevels } from '@qiao/contracts';
import { SettingOutlined } from '@ant-design/icons';
import { Button, Card, Col, Row, Segmented, Space, Statistic, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAuth } from '../../app/auth-context.js';
import { PageTitle } from '../../components/page-title.js';
import { PageSpinner, QueryError } from '../../components/query-state.js';
import { AbnormalList } from './abnormal-list.js';
import { useRiskOrganizations, useRiskSummary, type RiskLevel, type RiskOrganizations } from './risk-api.js';
import { NewSignalsChart, OrganizationsByLevelChart } from './risk-charts.js';
import { LevelTag, useRuleName } from './risk-parts.js';

type Row = RiskOrganizations['items'][number];

/** Organizations above green, highest score first, a page at a time. */
function RiskOrganizationsTable({ level, onLevel }: { level?: RiskLevel; onLevel(l?: RiskLevel): void }) {
  const { t } = useTranslation();
  const ruleName = useRuleName();
  const [cursors, setCursors] = useState<string[]>([]);
  const query = useRiskOrganizations(level, cursors[cursors.length - 1]);
  if (query.error) return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  return (
    <>
      <Segmented
        style={{ marginBottom: 12 }}
        value={level ?? 'all'}
        onChange={(v) => {
          setCursors([]);
          onLevel(v === 'all' ? undefined : (v as RiskLevel));
        }}
        options={[
          { value: 'all', label: t('risk.allLevels') },
          ...riskLevels.filter((l) => l !== 'green').map((l) => ({ value: l, label: t(`riskLevels.${l}`) })),
        ]}
      />
      <Table<Row>
        rowKey="organizationId"
        size="small"
        loading={query.isPending}
        dataSource={query.data?.items ?? []}
        pagination={false}
        data-testid="risk-organizations"
        columns={[
          {
            key: 'name',
            title: t('risk.organization'),
            render: (_, r) => <Link to={`/organizations/${r.organizationId}?tab=risk`}>{r.name}</Link>,
          },
          { key: 'level', title: t('risk.level'), render: (_, r) => <LevelTag level={r.level} /> },
          { key: 'score', title: t('risk.score'), dataIndex: 'score', align: 'right' },
          { key: 'rules', title: t('risk.rules'), render: (_, r) => r.rules.map(ruleName).join('、') },
          { key: 'since', title: t('risk.levelSince'), dataIndex: 'levelSince' },
        ]}
      />
      <Space style={{ marginTop: 12 }}>
        <Button disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
          {t('risk.previous')}
        </Button>
        <Button
          disabled={!query.data?.nextCursor}
          onClick={() => query.data?.nextCursor && setCursors([...cursors, query.data.nextCursor])}
        >
          {t('risk.next')}
        </Button>
      </Space>
    </>
  );
}

/** Early warning for the caller's subtree: levels, new signals, organizations at risk, the abnormal-activity list. */
export function RiskPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const summary = useRiskSummary();
  const ruleName = useRuleName();
  const [level, setLevel] = useState<RiskLevel | undefined>();
  if (summary.error) return <QueryError error={summary.error} onRetry={() => void summary.refetch()} />;
  if (summary.isPending) return <PageSpinner />;
  const s = summary.data;
  return (
    <>
      <PageTitle
        title={t('risk.title')}
        extra={
          can('risk:manage') && (
            <Link to="/risk/rules">
              <Button icon={<SettingOutlined />} data-testid="risk-rules-link">
                {t('risk.rulesTitle')}
              </Button>
            </Link>
          )
        }
      />
      <Row gutter={[16, 16]}>
        {riskLevels.map((l) => (
          <Col key={l} xs={12} md={6}>
            <Card size="small">
              <Statistic title={t(`riskLevels.${l}`)} value={s.byLevel[l]} data-testid={`risk-count-${l}`} />
            </Card>
          </Col>
        ))}
        <Col xs={24} lg={12}>
          <Card size="small" title={t('risk.byLevel')}>
            <OrganizationsByLevelChart byLevel={s.byLevel} onPick={(l) => setLevel(l === 'green' ? undefined : l)} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('risk.newSignals')}>
            <NewSignalsChart fresh={s.newSignalsThisWeek} ruleName={ruleName} />
          </Card>
        </Col>
        <Col span={24}>
          <Card size="small" title={t('risk.atRisk')}>
            <RiskOrganizationsTable level={level} onLevel={setLevel} />
          </Card>
        </Col>
        <Col span={24}>
          <Card size="small" title={t('risk.abnormalList', { count: s.abnormalListed })}>
            <AbnormalList />
          </Card>
        </Col>
      </Row>
    </>
  );
}
