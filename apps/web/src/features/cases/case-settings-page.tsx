import { DeleteOutlined, PlusOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { caseCategories, type CaseRoutingRule, type SetCaseRoutingRuleBody } from '@qiao/contracts';
import { App, Button, Card, Form, InputNumber, Popconfirm, Radio, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormModal } from '../../components/form-modal.js';
import { JurisdictionTreeSelect } from '../../components/jurisdiction-tree-select.js';
import { PageTitle } from '../../components/page-title.js';
import { QueryError } from '../../components/query-state.js';
import { errorMessage } from '../../lib/errors.js';
import { formatInstant } from '../../lib/format.js';
import { useDepartments } from '../../lib/shared-queries.js';
import { SeverityTag } from './case-tags.js';
import {
  useDeleteRoutingRule,
  useRoutingRules,
  useRunEscalations,
  useSetRoutingRule,
  useSlaPolicies,
  useUpdateSlaPolicy,
  type SlaPolicy,
} from './cases-api.js';

/** One severity's two deadlines, saved together. */
function SlaRow({ policy }: { policy: SlaPolicy }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const update = useUpdateSlaPolicy();
  const [ack, setAck] = useState<number | null>(policy.acknowledgeMinutes);
  const [resolve, setResolve] = useState<number | null>(policy.resolveMinutes);
  const changed = ack !== policy.acknowledgeMinutes || resolve !== policy.resolveMinutes;
  const save = async () => {
    try {
      await update.mutateAsync({
        severity: policy.severity,
        acknowledgeMinutes: ack ?? -1,
        resolveMinutes: resolve ?? -1,
      });
      void message.success(t('common.saved'));
    } catch (error) {
      void message.error(errorMessage(t, error));
    }
  };
  return (
    <Space wrap data-testid={`sla-${policy.severity}`}>
      <SeverityTag severity={policy.severity} />
      <InputNumber
        min={0}
        precision={0}
        value={ack}
        onChange={setAck}
        addonBefore={t('cases.acknowledge')}
        addonAfter={t('cases.minutes')}
        aria-label={t('cases.acknowledgeMinutes')}
        data-testid={`sla-${policy.severity}-ack`}
      />
      <InputNumber
        min={0}
        precision={0}
        value={resolve}
        onChange={setResolve}
        addonBefore={t('cases.resolve')}
        addonAfter={t('cases.minutes')}
        aria-label={t('cases.resolveMinutes')}
        data-testid={`sla-${policy.severity}-resolve`}
      />
      <Button
        type="primary"
        disabled={!changed}
        loading={update.isPending}
        onClick={() => void save()}
        data-testid={`sla-${policy.severity}-save`}
      >
        {t('common.save')}
      </Button>
    </Space>
  );
}

interface RuleValues {
  category: SetCaseRoutingRuleBody['category'];
  jurisdictionId: number;
  target: SetCaseRoutingRuleBody['target'];
  departmentId?: number;
}

function RuleModal({ open, onClose }: { open: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<RuleValues>();
  const set = useSetRoutingRule();
  const target = Form.useWatch('target', form);
  const departments = useDepartments(undefined, open);
  return (
    <FormModal<RuleValues>
      open={open}
      title={t('cases.addRule')}
      form={form}
      initialValues={{ target: 'center' }}
      onClose={onClose}
      submit={(v) => set.mutateAsync({ ...v, departmentId: v.target === 'department' ? v.departmentId : null })}
      submitTestId="rule-submit"
    >
      <Form.Item
        name="category"
        label={t('cases.category')}
        rules={[{ required: true, message: t('common.required') }]}
      >
        <Select options={caseCategories.map((c) => ({ value: c, label: t(`caseCategories.${c}`) }))} />
      </Form.Item>
      <Form.Item
        name="jurisdictionId"
        label={t('cases.ruleJurisdiction')}
        extra={t('cases.ruleJurisdictionHint')}
        rules={[{ required: true, message: t('common.required') }]}
      >
        <JurisdictionTreeSelect />
      </Form.Item>
      <Form.Item name="target" label={t('cases.routeTo')}>
        <Radio.Group
          options={[
            { value: 'center', label: t('cases.centerQueue') },
            { value: 'department', label: t('cases.department') },
          ]}
        />
      </Form.Item>
      {target === 'department' && (
        <Form.Item
          name="departmentId"
          label={t('cases.department')}
          extra={t('cases.ruleDepartmentHint')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Select options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))} />
        </Form.Item>
      )}
    </FormModal>
  );
}

/** City settings for cases: deadlines per severity, routing per category and jurisdiction, escalation on demand. */
export function CaseSettingsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const sla = useSlaPolicies();
  const rules = useRoutingRules();
  const remove = useDeleteRoutingRule();
  const escalate = useRunEscalations();
  const [adding, setAdding] = useState(false);

  const runEscalations = async () => {
    try {
      const { escalated } = await escalate.mutateAsync();
      void message.success(t('cases.escalatedCount', { count: escalated }));
    } catch (error) {
      void message.error(errorMessage(t, error));
    }
  };

  return (
    <>
      <PageTitle
        title={t('cases.settings')}
        extra={
          <Button
            icon={<ThunderboltOutlined />}
            loading={escalate.isPending}
            onClick={() => void runEscalations()}
            data-testid="run-escalations"
          >
            {t('cases.runEscalations')}
          </Button>
        }
      />
      <Card title={t('cases.sla')} style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary">{t('cases.slaHint')}</Typography.Paragraph>
        {sla.error && <QueryError error={sla.error} onRetry={() => void sla.refetch()} />}
        <Space direction="vertical" size={12}>
          {(sla.data ?? []).map((p) => (
            <SlaRow key={`${p.severity}-${p.updatedAt}`} policy={p} />
          ))}
        </Space>
      </Card>
      <Card
        title={t('cases.routing')}
        extra={
          <Button icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="rule-add">
            {t('cases.addRule')}
          </Button>
        }
      >
        <Typography.Paragraph type="secondary">{t('cases.routingHint')}</Typography.Paragraph>
        {rules.error ? (
          <QueryError error={rules.error} onRetry={() => void rules.refetch()} />
        ) : (
          <Table<CaseRoutingRule>
            rowKey="id"
            loading={rules.isPending}
            dataSource={rules.data ?? []}
            pagination={false}
            columns={[
              { title: t('cases.category'), key: 'category', render: (_, r) => t(`caseCategories.${r.category}`) },
              { title: t('cases.ruleJurisdiction'), key: 'jurisdiction', render: (_, r) => r.jurisdictionName },
              {
                title: t('cases.routeTo'),
                key: 'target',
                render: (_, r) => (r.target === 'department' ? r.departmentName : t('cases.centerQueue')),
              },
              { title: t('cases.updatedAt'), key: 'updatedAt', render: (_, r) => formatInstant(r.updatedAt) },
              {
                title: t('common.actions'),
                key: 'actions',
                render: (_, r) => (
                  <Popconfirm title={t('cases.deleteRuleConfirm')} onConfirm={() => remove.mutate(r.id)}>
                    <Button danger icon={<DeleteOutlined />} aria-label={t('cases.deleteRule')} />
                  </Popconfirm>
                ),
              },
            ]}
          />
        )}
      </Card>
      <RuleModal open={adding} onClose={() => setAdding(false)} />
    </>
  );
}
