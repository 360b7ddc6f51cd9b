import type { storeReport } from '@qiao/contracts';
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { Button, Card, Col, DatePicker, Empty, Flex, Row, Select, Space, Statistic, Table } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { QueryError } from '../../components/query-state.js';
import { api } from '../../lib/api.js';
import { DEFAULT_EXPIRING_WITHIN_DAYS } from '@qiao/contracts';
import { ExpiringSoon } from './lots-tab.js';
import { useStores, yuan } from './market-api.js';

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

type StoreReport = (typeof storeReport)['_output'];

/** The supermarket dashboard: a store's period in figures and charts, with CSV/XLSX exports. */
export function ReportTab() {
  const { t } = useTranslation();
  const stores = useStores();
  const [storeId, setStoreId] = useState<number>();
  const [range, setRange] = useState<[Dayjs, Dayjs] | null>(null);
  const [within, setWithin] = useState(DEFAULT_EXPIRING_WITHIN_DAYS);
  const current = storeId ?? stores.data?.[0]?.id;
  const period = range ? { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') } : {};
  const report = useQuery({
    queryKey: ['market', 'report', current, period.from, period.to, within],
    enabled: current !== undefined,
    queryFn: () => api<StoreReport>(`/stores/${current}/report`, { query: { ...period, expiringWithinDays: within } }),
  });
  const r = report.data;
  const flows = useMemo(
    () =>
      r && {
        aria: { enabled: true },
        tooltip: { trigger: 'axis' },
        grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
        xAxis: {
          type: 'category',
          data: [
            t('market.report.donation'),
            t('market.report.purchase'),
            t('market.report.transferIn'),
            t('market.report.redemption'),
            t('market.report.writeOff'),
            t('market.report.transferOut'),
          ],
        },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          {
            type: 'bar',
            barMaxWidth: 32,
            data: [
              { value: r.goodsIn.donation, itemStyle: { color: '#389e0d' } },
              { value: r.goodsIn.purchase, itemStyle: { color: '#389e0d' } },
              { value: r.goodsIn.transfer, itemStyle: { color: '#389e0d' } },
              { value: r.goodsOut.redemption, itemStyle: { color: '#0958d9' } },
              { value: r.goodsOut.writeOff, itemStyle: { color: '#cf1322' } },
              { value: r.goodsOut.transfer, itemStyle: { color: '#0958d9' } },
            ],
          },
        ],
      },
    [r, t],
  );
  const top = useMemo(
    () =>
      r && {
        aria: { enabled: true },
        tooltip: { trigger: 'axis' },
        grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
        xAxis: { type: 'value', minInterval: 1 },
        yAxis: { type: 'category', inverse: true, data: r.topItems.map((i) => i.name) },
        series: [
          { type: 'bar', barMaxWidth: 20, data: r.topItems.map((i) => i.quantity), itemStyle: { color: '#0958d9' } },
        ],
      },
    [r],
  );
  const exportUrl = (format: 'csv' | 'xlsx') =>
    `/api/stores/${current}/report/export?format=${format}&expiringWithinDays=${within}${period.from ? `&from=${period.from}&to=${period.to}` : ''}`;

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Flex gap={12} wrap align="center">
        <Select
          aria-label={t('market.store')}
          style={{ minWidth: 220 }}
          value={current}
          onChange={setStoreId}
          options={(stores.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
        />
        <DatePicker.RangePicker
          aria-label={t('market.report.period')}
          value={range}
          onChange={(v) => setRange(v && v[0] && v[1] ? [v[0], v[1]] : null)}
        />
        {current !== undefined && (
          <>
            <Button href={exportUrl('csv')}>{t('market.report.csv')}</Button>
            <Button href={exportUrl('xlsx')}>{t('market.report.xlsx')}</Button>
          </>
        )}
      </Flex>
      {report.error ? <QueryError error={report.error} onRetry={() => report.refetch()} /> : null}
      {!r && !report.isLoading && <Empty />}
      {r && (
        <>
          <Row gutter={[16, 16]}>
            <Col xs={12} md={6}>
              <Statistic title={t('market.report.sales')} value={r.sales} />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title={t('market.report.households')} value={r.householdsServed} />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title={t('market.report.points')} value={r.pointsRedeemed} />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title={t('market.report.donated')} value={yuan(r.donatedFen)} />
            </Col>
          </Row>
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={12}>
              <Card size="small" title={t('market.report.flows', { from: r.from, to: r.to })}>
                <ReactEChartsCore echarts={echarts} option={flows!} style={{ height: 280 }} notMerge />
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card size="small" title={t('market.report.topItems')}>
                {r.topItems.length ? (
                  <ReactEChartsCore echarts={echarts} option={top!} style={{ height: 280 }} notMerge />
                ) : (
                  <Empty />
                )}
              </Card>
            </Col>
          </Row>
          <Table
            size="small"
            rowKey="itemId"
            pagination={false}
            dataSource={r.onHand}
            columns={[
              { title: t('market.item'), dataIndex: 'name' },
              { title: t('market.onHand'), dataIndex: 'onHand', align: 'right' },
            ]}
          />
          <ExpiringSoon lots={r.expiringSoon} days={within} onDays={setWithin} />
        </>
      )}
    </Space>
  );
}
