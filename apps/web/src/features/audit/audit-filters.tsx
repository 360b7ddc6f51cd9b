import { SearchOutlined } from '@ant-design/icons';
import { auditActions, auditEntityTypes } from '@qiao/contracts';
import { AutoComplete, Button, DatePicker, Form, Input } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { AuditFilters as Filters } from './audit-api.js';

interface Values {
  actor?: string;
  entityType?: string;
  action?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

function toFilters(values: Values): Filters {
  const filters: Filters = {};
  if (values.actor?.trim()) filters.actor = values.actor.trim();
  if (values.entityType?.trim()) filters.entityType = values.entityType.trim();
  if (values.action?.trim()) filters.action = values.action.trim();
  const [from, to] = values.range ?? [];
  if (from) filters.from = from.toISOString();
  if (to) filters.to = to.toISOString();
  return filters;
}

/** Filters apply on submit, so a half-typed username does not query on every key. */
export function AuditFilters({ onChange }: { onChange(filters: Filters): void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const actionOptions = auditActions.map((action) => ({
    value: action,
    label: `${t(`auditActions.${action}`)} · ${action}`,
  }));
  const entityOptions = auditEntityTypes.map((type) => ({
    value: type,
    label: `${t(`entityTypes.${type}`)} · ${type}`,
  }));

  return (
    <Form<Values>
      form={form}
      layout="inline"
      onFinish={(values) => onChange(toFilters(values))}
      style={{ marginBottom: 16, rowGap: 12 }}
      role="search"
    >
      <Form.Item name="actor" label={t('audit.actor')}>
        <Input
          allowClear
          placeholder={t('audit.actorPlaceholder')}
          style={{ width: 160 }}
          data-testid="audit-filter-actor"
        />
      </Form.Item>
      <Form.Item name="entityType" label={t('audit.entityType')}>
        <AutoComplete
          allowClear
          options={entityOptions}
          style={{ width: 180 }}
          filterOption
          data-testid="audit-filter-entity"
        />
      </Form.Item>
      <Form.Item name="action" label={t('audit.action')}>
        <AutoComplete
          allowClear
          options={actionOptions}
          style={{ width: 220 }}
          filterOption
          data-testid="audit-filter-action"
        />
      </Form.Item>
      <Form.Item name="range" label={t('audit.timeRange')}>
        <DatePicker.RangePicker
          showTime={{ format: 'HH:mm' }}
          format="YYYY-MM-DD HH:mm"
          allowEmpty={[true, true]}
          data-testid="audit-filter-range"
        />
      </Form.Item>
      <Form.Item>
        <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="audit-filter-submit">
          {t('common.search')}
        </Button>
      </Form.Item>
      <Form.Item>
        <Button
          onClick={() => {
            form.resetFields();
            onChange({});
          }}
        >
          {t('common.reset')}
        </Button>
      </Form.Item>
    </Form>
  );
}
