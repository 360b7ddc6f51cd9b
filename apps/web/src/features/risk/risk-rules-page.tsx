import { Alert, Button, Card, Form, InputNumber, message, Space, Switch, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAuth } from '../../app/auth-context.js';
import { FormModal } from '../../components/form-modal.js';
import { PageTitle } from '../../components/page-title.js';
import { PageSpinner, QueryError } from '../../components/query-state.js';
import { formatInstant } from '../../lib/format.js';
import { useRiskRules, useRunRiskScan, useUpdateRiskRule, useUpdateRiskSettings, type RiskRule } from './risk-api.js';

interface RuleValues {
  weight: number;
  enabled: boolean;
  parameters: Record<string, number>;
}

interface SettingsValues {
  yellow: number;
  orange: number;
  red: number;
  scanHour: number;
}

/** The city admin's page: rule weights, switches and parameters, level thresholds, a scan now. */
export function RiskRulesPage() {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const rules = useRiskRules();
  const update = useUpdateRiskRule();
  const settings = useUpdateRiskSettings();
  const scan = useRunRiskScan();
  const [editing, setEditing] = useState<RiskRule | null>(null);
  const [editingSettings, setEditingSettings] = useState(false);
  const [ruleForm] = Form.useForm<RuleValues>();
  const [settingsForm] = Form.useForm<SettingsValues>();
  const [toast, toastHolder] = message.useMessage();
  if (rules.error) return <QueryError error={rules.error} onRetry={() => void rules.refetch()} />;
  if (rules.isPending) return <PageSpinner />;
  const { items, settings: current } = rules.data;
  const manage = can('risk:manage');
  const describe = (r: RiskRule) => (i18n.language === 'en' ? r.description.en : r.description['zh-CN']);

  return (
    <>
      {toastHolder}
      <PageTitle
        title={t('risk.rulesTitle')}
        extra={
          <Space>
            <Link to="/risk">{t('risk.backToRisk')}</Link>
            {can('risk:scan') && (
              <Button
                type="primary"
                loading={scan.isPending}
                data-testid="risk-scan-now"
                onClick={async () => {
                  const r = await scan.mutateAsync();
                  void toast.success(t('risk.scanned', { scanned: r.scanned, signals: r.signals, ms: r.durationMs }));
                }}
              >
                {t('risk.scanNow')}
              </Button>
            )}
          </Space>
        }
      />
      <Card size="small" style={{ marginBottom: 16 }} title={t('risk.thresholds')} data-testid="risk-thresholds">
        <Typography.Paragraph>
          {t('risk.thresholdsText', { yellow: current.yellow, orange: current.orange, red: current.red })}
        </Typography.Paragraph>
        <Typography.Paragraph type="secondary">
          {t('risk.scanHourText', { hour: current.scanHour })}
          {current.lastScanAt ? ` ${t('risk.lastScan', { at: formatInstant(current.lastScanAt) })}` : ''}
        </Typography.Paragraph>
        {manage && (
          <Button onClick={() => setEditingSettings(true)} data-testid="risk-thresholds-edit">
            {t('common.edit')}
          </Button>
        )}
      </Card>
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('risk.rulesHint')} />
      <Table<RiskRule>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={items}
        data-testid="risk-rules"
        columns={[
          { key: 'name', title: t('risk.rule'), render: (_, r) => describe(r) },
          {
            key: 'module',
            title: t('risk.module'),
            render: (_, r) => t(`riskModules.${r.module}`, { defaultValue: r.module }),
          },
          {
            key: 'enabled',
            title: t('risk.enabled'),
            render: (_, r) => (r.enabled ? t('risk.on') : t('risk.off')),
          },
          { key: 'weight', title: t('risk.weight'), dataIndex: 'weight', align: 'right' },
          {
            key: 'params',
            title: t('risk.parameters'),
            render: (_, r) => r.parameters.map((p) => `${t(`riskParameters.${p.name}`)} ${p.value}`).join('；') || '—',
          },
          {
            key: 'edit',
            title: '',
            render: (_, r) =>
              manage && (
                <Button size="small" onClick={() => setEditing(r)} data-testid={`risk-rule-edit-${r.id}`}>
                  {t('common.edit')}
                </Button>
              ),
          },
        ]}
      />
      <FormModal<RuleValues>
        open={editing !== null}
        title={editing ? describe(editing) : ''}
        form={ruleForm}
        initialValues={
          editing
            ? {
                weight: editing.weight,
                enabled: editing.enabled,
                parameters: Object.fromEntries(editing.parameters.map((p) => [p.name, p.value])),
              }
            : {}
        }
        onClose={() => setEditing(null)}
        submit={(values) => update.mutateAsync({ id: editing!.id, body: values })}
        submitTestId="risk-rule-submit"
      >
        <Form.Item name="enabled" label={t('risk.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="weight" label={t('risk.weight')} rules={[{ required: true }]}>
          <InputNumber min={0} max={1000} precision={0} />
        </Form.Item>
        {editing?.parameters.map((p) => (
          <Form.Item
            key={p.name}
            name={['parameters', p.name]}
            label={`${t(`riskParameters.${p.name}`)} (${p.min}–${p.max})`}
            rules={[{ required: true }]}
          >
            <InputNumber min={p.min} max={p.max} precision={0} />
          </Form.Item>
        ))}
      </FormModal>
      <FormModal<SettingsValues>
        open={editingSettings}
        title={t('risk.thresholds')}
        form={settingsForm}
        initialValues={current}
        onClose={() => setEditingSettings(false)}
        submit={(values) => settings.mutateAsync(values)}
        submitTestId="risk-thresholds-submit"
      >
        {(['yellow', 'orange', 'red'] as const).map((l) => (
          <Form.Item key={l} name={l} label={t(`riskLevels.${l}`)} rules={[{ required: true }]}>
            <InputNumber min={1} max={100000} precision={0} />
          </Form.Item>
        ))}
        <Form.Item name="scanHour" label={t('risk.scanHour')} rules={[{ required: true }]}>
          <InputNumber min={0} max={23} precision={0} />
        </Form.Item>
      </FormModal>
    </>
  );
}
