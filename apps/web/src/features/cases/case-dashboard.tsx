import { AlertOutlined, FieldTimeOutlined, RiseOutlined } from '@ant-design/icons';
import type { CaseStats } from '@qiao/contracts';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { Card, Col, Empty, Row, Statistic } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { usePreferences } from '../../app/preferences.js';
import { QueryError } from '../../components/query-state.js';
import { useCaseStats } from './cases-api.js';
import { placeName } from './place-name.js';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

function CasesBySubdistrictChart({ rows }: { rows: CaseStats['bySubdistrict'] }) {
  const { t, i18n } = useTranslation();
  const { elderlyMode } = usePreferences();
  const text = useMemo(
    () => ({ fontSize: elderlyMode ? 16 : 12, color: elderlyMode ? '#000' : '#595959' }),
    [elderlyMode],
  );
  const option = useMemo(
    () => ({
      aria: { enabled: true },
      tooltip: { trigger: 'axis' },
      legend: { textStyle: text },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1, axisLabel: text },
      yAxis: {
        type: 'category',
        inverse: true,
        data: rows.map((r) => placeName(r.name, r.nameEn, i18n.language)),
        axisLabel: text,
      },
      series: [
        {
          type: 'bar',
          name: t('cases.dashboard.open'),
          data: rows.map((r) => r.open),
          itemStyle: { color: '#0958d9' },
          barMaxWidth: 20,
        },
        {
          type: 'bar',
          name: t('cases.dashboard.overdue'),
          data: rows.map((r) => r.overdue),
          itemStyle: { color: '#cf1322' },
          barMaxWidth: 20,
        },
      ],
    }),
    [rows, t, text, i18n.language],
  );
  return (
    <ReactEChartsCore
      echarts={echarts}
      option={option}
      style={{ height: Math.max(200, rows.length * 48 + 64) }}
      notMerge
    />
  );
}

/** The case half of the dashboard: open, overdue and escalated cases across the caller's subtree, by subdistrict. */
export function CaseDashboardSection() {
  const { t } = useTranslation();
  const stats = useCaseStats();
  if (stats.error) return <QueryError error={stats.error} onRetry={() => void stats.refetch()} />;
  const data = stats.data;
  return (
    <Card
      title={t('cases.dashboard.title')}
      style={{ marginTop: 16 }}
      loading={stats.isPending}
      data-testid="case-dashboard"
    >
      {data && (
        <>
          <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
            <Col xs={24} sm={8}>
              <Link to="/cases?status=open">
                <Statistic title={t('cases.dashboard.open')} value={data.totals.open} prefix={<AlertOutlined />} />
              </Link>
            </Col>
            <Col xs={24} sm={8}>
              <Link to="/cases?overdue=true">
                <Statistic
                  title={t('cases.dashboard.overdue')}
                  value={data.totals.overdue}
                  prefix={<FieldTimeOutlined />}
                  styles={{ content: { color: data.totals.overdue > 0 ? '#cf1322' : undefined } }}
                />
              </Link>
            </Col>
            <Col xs={24} sm={8}>
              <Link to="/cases?escalated=true">
                <Statistic
                  title={t('cases.dashboard.escalated')}
                  value={data.totals.escalated}
                  prefix={<RiseOutlined />}
                />
              </Link>
            </Col>
          </Row>
          {data.bySubdistrict.length > 0 ? (
            <CasesBySubdistrictChart rows={data.bySubdistrict} />
          ) : (
            <Empty description={t('cases.dashboard.none')} />
          )}
        </>
      )}
    </Card>
  );
}
