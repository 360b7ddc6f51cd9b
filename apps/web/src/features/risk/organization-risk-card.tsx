import { Alert, Card, Descriptions, Empty, Table, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageSpinner, QueryError } from '../../components/query-state.js';
import { formatInstant } from '../../lib/format.js';
import { levelColors, useOrganizationRisk, type OrganizationRisk } from './risk-api.js';
import { Evidence, LevelTag, useRuleName } from './risk-parts.js';

type Signal = OrganizationRisk['signals'][number];

/** An organization's risk level and why: the rules that fired, their evidence and since when. */
export function OrganizationRiskPanel({ organizationId }: { organizationId: number }) {
  const { t } = useTranslation();
  const query = useOrganizationRisk(organizationId);
  const ruleName = useRuleName();
  if (query.error) return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  if (query.isPending) return <PageSpinner />;
  const risk = query.data;
  const current = risk.abnormalListings.filter((l) => !l.removedOn);
  return (
    <div data-testid="org-risk">
      {current.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('risk.listedNow')}
          description={current
            .map((l) => t('risk.listedOn', { reason: t(`abnormalReasons.${l.reason}`), date: l.listedOn }))
            .join('；')}
        />
      )}
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions
          column={{ xs: 1, md: 4 }}
          items={[
            { key: 'level', label: t('risk.level'), children: <LevelTag level={risk.level} /> },
            { key: 'score', label: t('risk.score'), children: <span data-testid="risk-score">{risk.score}</span> },
            { key: 'since', label: t('risk.levelSince'), children: risk.levelSince ?? '—' },
            {
              key: 'evaluated',
              label: t('risk.evaluatedAt'),
              children: risk.evaluatedAt ? formatInstant(risk.evaluatedAt) : '—',
            },
          ]}
        />
      </Card>
      <Typography.Title level={5}>{t('risk.why')}</Typography.Title>
      <Table<Signal>
        rowKey="rule"
        size="small"
        pagination={false}
        dataSource={risk.signals}
        locale={{ emptyText: <Empty description={t('risk.noSignals')} /> }}
        columns={[
          { key: 'rule', title: t('risk.rule'), render: (_, s) => ruleName(s.rule) },
          { key: 'evidence', title: t('risk.evidence'), render: (_, s) => <Evidence evidence={s.evidence} /> },
          { key: 'since', title: t('risk.since'), dataIndex: 'since' },
          { key: 'weight', title: t('risk.weight'), dataIndex: 'weight', align: 'right' },
        ]}
        data-testid="risk-signals"
      />
      {risk.history.length > 0 && (
        <>
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            {t('risk.history')}
          </Typography.Title>
          <Timeline
            items={risk.history.map((h, i) => ({
              key: i,
              color: levelColors[h.level],
              children: `${h.on} · ${t(`riskLevels.${h.level}`)} · ${t('risk.score')} ${h.score}`,
            }))}
          />
        </>
      )}
    </div>
  );
}
