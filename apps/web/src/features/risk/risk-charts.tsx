import { riskLevels } from '@qiao/contracts';
import { BarChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { usePreferences } from '../../app/preferences.js';
import { levelColors, type RiskSummary } from './risk-api.js';

echarts.use([BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

function useChartText() {
  const { elderlyMode } = usePreferences();
  return { fontSize: elderlyMode ? 16 : 12, color: elderlyMode ? '#000' : '#595959' };
}

/** Organizations by risk level: every level shown, so an empty level reads as zero. */
export function OrganizationsByLevelChart({
  byLevel,
  onPick,
}: {
  byLevel: RiskSummary['byLevel'];
  onPick?: (level: (typeof riskLevels)[number]) => void;
}) {
  const { t } = useTranslation();
  const text = useChartText();
  const option = useMemo(
    () => ({
      aria: { enabled: true },
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: riskLevels.map((l) => t(`riskLevels.${l}`)), axisLabel: text },
      yAxis: { type: 'value', minInterval: 1, axisLabel: text },
      series: [
        {
          type: 'bar',
          name: t('risk.organizations'),
          barMaxWidth: 48,
          label: { show: true, position: 'top', ...text },
          data: riskLevels.map((l) => ({ value: byLevel[l], itemStyle: { color: levelColors[l] } })),
        },
      ],
    }),
    [byLevel, t, text],
  );
  return (
    <ReactEChartsCore
      echarts={echarts}
      option={option}
      style={{ height: 300 }}
      notMerge
      onEvents={{ click: (e: { dataIndex: number }) => onPick?.(riskLevels[e.dataIndex]!) }}
    />
  );
}

/** New signals of the last seven days, by rule. */
export function NewSignalsChart({
  fresh,
  ruleName,
}: {
  fresh: RiskSummary['newSignalsThisWeek'];
  ruleName: (id: string) => string;
}) {
  const { t } = useTranslation();
  const text = useChartText();
  const option = useMemo(
    () => ({
      aria: { enabled: true },
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1, axisLabel: text },
      yAxis: { type: 'category', inverse: true, data: fresh.map((f) => ruleName(f.rule)), axisLabel: text },
      series: [
        {
          type: 'bar',
          name: t('risk.newSignals'),
          barMaxWidth: 24,
          itemStyle: { color: '#d46b08' },
          data: fresh.map((f) => f.count),
        },
      ],
    }),
    [fresh, ruleName, t, text],
  );
  return <ReactEChartsCore echarts={echarts} option={option} style={{ height: 300 }} notMerge />;
}
