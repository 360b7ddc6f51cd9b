import { roles } from '@qiao/contracts';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { usePreferences } from '../../app/preferences.js';
import { formatDay } from '../../lib/format.js';
import type { Overview } from './overview-api.js';

echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, CanvasRenderer]);

function useChartText() {
  const { elderlyMode } = usePreferences();
  return { fontSize: elderlyMode ? 16 : 12, color: elderlyMode ? '#000' : '#595959' };
}

/** Users per role, every role listed so an empty role reads as zero rather than missing. */
export function UsersByRoleChart({ byRole }: { byRole: Overview['usersByRole'] }) {
  const { t } = useTranslation();
  const text = useChartText();
  const option = useMemo(() => {
    return {
      aria: { enabled: true },
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1, axisLabel: text },
      yAxis: { type: 'category', inverse: true, data: roles.map((role) => t(`roles.${role}`)), axisLabel: text },
      series: [
        {
          type: 'bar',
          name: t('overview.users'),
          data: roles.map((role) => byRole[role] ?? 0),
          itemStyle: { color: '#0958d9' },
          barMaxWidth: 24,
        },
      ],
    };
  }, [byRole, t, text]);
  return <ReactEChartsCore echarts={echarts} option={option} style={{ height: 320 }} notMerge />;
}

export function AuditPerDayChart({ perDay }: { perDay: Overview['auditByDay'] }) {
  const { t } = useTranslation();
  const text = useChartText();
  const option = useMemo(
    () => ({
      aria: { enabled: true },
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: perDay.map((entry) => formatDay(entry.day)), axisLabel: text },
      yAxis: { type: 'value', minInterval: 1, axisLabel: text },
      series: [
        {
          type: 'line',
          name: t('overview.auditEvents'),
          areaStyle: { opacity: 0.15 },
          data: perDay.map((entry) => entry.count),
          itemStyle: { color: '#389e0d' },
        },
      ],
    }),
    [perDay, t, text],
  );
  return <ReactEChartsCore echarts={echarts} option={option} style={{ height: 320 }} notMerge />;
}
