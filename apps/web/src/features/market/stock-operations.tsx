import type { Item, StockMovement } from '@qiao/contracts';
import { Button, Card, Form, Input, InputNumber, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { FormAlert } from '../../components/form-alert.js';
import { QueryError } from '../../components/query-state.js';
import { api } from '../../lib/api.js';
import { formatInstant } from '../../lib/format.js';
import { useServerErrors } from '../../lib/use-server-errors.js';
import type { Dayjs } from 'dayjs';
import { LotFields } from './lots-tab.js';
import { lotOf } from './lots-api.js';
import { useItems } from './market-api.js';

const REVERSIBLE = new Set(['donation_in', 'purchase_in', 'adjustment', 'write_off']);

/** Purchases and write-offs with a reason, and the store's ledger with reversals: for center staff. */
export function StockOperations({ storeId }: { storeId: number }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const items = useItems();
  const [form] = Form.useForm<{
    kind: 'purchase_in' | 'write_off';
    itemId: number;
    quantity: number;
    reason: string;
    expiresOn?: Dayjs | null;
    lotCode?: string;
  }>();
  const errors = useServerErrors(form);
  const kind = Form.useWatch('kind', form);
  const movements = useQuery({
    queryKey: ['market', 'movements', storeId],
    queryFn: () =>
      api<{ items: StockMovement[] }>(`/stores/${storeId}/movements`, { query: { limit: 50 } }).then((r) => r.items),
  });
  const record = useMutation({
    mutationFn: (v: {
      kind: string;
      itemId: number;
      quantity: number;
      reason: string;
      expiresOn?: Dayjs | null;
      lotCode?: string;
    }) =>
      api(`/stores/${storeId}/movements`, {
        method: 'POST',
        body: {
          kind: v.kind,
          // A purchase of a tracked item carries its lot; a write-off takes expired lots first.
          lines: [{ itemId: v.itemId, quantity: v.quantity, ...(v.kind === 'purchase_in' ? lotOf(v) : {}) }],
          reason: v.reason,
        },
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['market'] }),
  });
  const reverse = useMutation({
    mutationFn: (id: number) =>
      api(`/stock-movements/${id}/reverse`, { method: 'POST', body: { reason: t('market.ops.reverseReason') } }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['market'] }),
  });
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Card size="small" title={t('market.ops.title')}>
        <FormAlert message={errors.alert} />
        <Form
          form={form}
          layout="inline"
          initialValues={{ kind: 'purchase_in' }}
          onFinish={(v) => record.mutate(v, { onSuccess: () => form.resetFields(), onError: errors.handle })}
        >
          <Form.Item name="kind">
            <Select
              data-testid="ops-kind"
              style={{ width: 140 }}
              options={(['purchase_in', 'write_off'] as const).map((k) => ({
                value: k,
                label: t(`market.kinds.${k}`),
              }))}
            />
          </Form.Item>
          <Form.Item
            name="itemId"
            label={t('market.item')}
            rules={[{ required: true, message: t('fieldErrors.required') }]}
          >
            <Select
              showSearch
              optionFilterProp="label"
              data-testid="ops-item"
              style={{ minWidth: 200 }}
              options={(items.data ?? []).map((i: Item) => ({ value: i.id, label: `${i.name}（${i.unit}）` }))}
            />
          </Form.Item>
          <Form.Item
            name="quantity"
            label={t('market.quantity')}
            rules={[{ required: true, message: t('fieldErrors.required') }]}
          >
            <InputNumber min={1} max={100000} precision={0} data-testid="ops-quantity" />
          </Form.Item>
          {kind === 'purchase_in' && <LotFields itemPath={['itemId']} prefix={[]} items={items.data} />}
          <Form.Item
            name="reason"
            label={t('market.ops.reason')}
            rules={[{ required: true, message: t('fieldErrors.required') }]}
          >
            <Input maxLength={200} data-testid="ops-reason" />
          </Form.Item>
          <Button htmlType="submit" loading={record.isPending} data-testid="ops-submit">
            {t('market.ops.record')}
          </Button>
        </Form>
      </Card>
      {movements.error ? <QueryError error={movements.error} /> : null}
      {reverse.error ? <QueryError error={reverse.error} /> : null}
      <Table
        data-testid="ops-ledger"
        size="small"
        rowKey="id"
        loading={movements.isLoading}
        dataSource={movements.data ?? []}
        columns={[
          { title: t('market.ops.when'), render: (_, m) => formatInstant(m.createdAt) },
          { title: t('market.item'), dataIndex: 'itemName' },
          {
            title: t('market.ops.kind'),
            dataIndex: 'kind',
            render: (k: string) => <Tag>{t(`market.kinds.${k}`)}</Tag>,
          },
          { title: t('market.quantity'), dataIndex: 'quantity', align: 'right' },
          { title: t('market.ops.reason'), dataIndex: 'reason', render: (r: string | null) => r ?? '—' },
          { title: t('market.ops.by'), dataIndex: 'actorName' },
          {
            title: '',
            render: (_, m) =>
              m.reversedBy !== null ? (
                <Tag>{t('market.ops.reversed')}</Tag>
              ) : (
                REVERSIBLE.has(m.kind) && (
                  <Popconfirm
                    title={t('market.ops.reverseConfirm')}
                    onConfirm={() => reverse.mutate(m.id)}
                    okText={t('market.ops.reverse')}
                    cancelText={t('market.till.back')}
                  >
                    <Button size="small" danger data-testid="ops-reverse">
                      {t('market.ops.reverse')}
                    </Button>
                  </Popconfirm>
                )
              ),
          },
        ]}
      />
    </Space>
  );
}
