import { Alert, Button, Card, Descriptions, Form, Input, InputNumber, Space, Table } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth-context.js';
import { FormAlert } from '../../components/form-alert.js';
import { QueryError } from '../../components/query-state.js';
import { api } from '../../lib/api.js';
import { formatInstant } from '../../lib/format.js';
import { useServerErrors } from '../../lib/use-server-errors.js';
import { checkoutByReceipt, checkoutReceiptUrl } from './market-api.js';

interface ReturnDone {
  units: number;
  pointsRefunded: number;
  pointsLeft: number;
}

/**
 * A sale found by its receipt number, with what came back so far; center staff take goods back
 * from it (each line at most what is left of it, with a reason): stock in, points refunded.
 */
export function SaleReturnsTab() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const client = useQueryClient();
  const [receiptNo, setReceiptNo] = useState('');
  const [done, setDone] = useState<ReturnDone>();
  const [form] = Form.useForm<{ quantities: Record<string, number | null>; reason: string }>();
  const errors = useServerErrors(form);
  const sale = useQuery({
    queryKey: ['market', 'sale', receiptNo],
    enabled: receiptNo !== '',
    queryFn: async () => (await checkoutByReceipt(receiptNo)) ?? null,
  });
  const take = useMutation({
    mutationFn: (body: { lines: { itemId: number; quantity: number }[]; reason: string }) =>
      api<ReturnDone>(`/checkouts/${sale.data!.id}/returns`, { method: 'POST', body }),
    onSuccess: (r) => {
      setDone(r);
      form.resetFields();
      void client.invalidateQueries({ queryKey: ['market'] });
    },
  });
  const s = sale.data;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Input.Search
        allowClear
        style={{ maxWidth: 360 }}
        placeholder={t('market.returns.receiptPlaceholder')}
        aria-label={t('market.receiptNo')}
        enterButton={t('market.returns.find')}
        data-testid="sale-receipt"
        onSearch={(v) => {
          setDone(undefined);
          setReceiptNo(v.trim());
        }}
      />
      {sale.error ? <QueryError error={sale.error} onRetry={() => sale.refetch()} /> : null}
      {sale.data === null && <Alert type="info" showIcon title={t('market.returns.notFound')} />}
      {s && (
        <Card size="small" title={`${t('market.receiptNo')} ${s.receiptNo}`}>
          <Descriptions size="small" column={2}>
            <Descriptions.Item label={t('market.returns.soldAt')}>{formatInstant(s.createdAt)}</Descriptions.Item>
            <Descriptions.Item label={t('market.returns.pointsSpent')}>{s.pointsSpent}</Descriptions.Item>
            <Descriptions.Item label={t('market.returns.pointsRefunded')}>{s.pointsRefunded}</Descriptions.Item>
            <Descriptions.Item label={t('market.printReceipt')}>
              <a href={checkoutReceiptUrl(s.id)} target="_blank" rel="noopener noreferrer">
                {t('market.printReceipt')}
              </a>
            </Descriptions.Item>
          </Descriptions>
          {done && (
            <Alert
              type="success"
              showIcon
              style={{ marginBottom: 12 }}
              title={t('market.returns.done', { ...done })}
              data-testid="return-done"
            />
          )}
          <FormAlert message={errors.alert} />
          <Form
            form={form}
            layout="vertical"
            onFinish={(v) => {
              const lines = s.lines
                .map((l) => ({ itemId: l.itemId, quantity: v.quantities?.[String(l.itemId)] ?? 0 }))
                .filter((l) => l.quantity > 0);
              if (!lines.length) {
                form.setFields([{ name: 'reason', errors: [t('market.returns.nothingChosen')] }]);
                return;
              }
              take.mutate({ lines, reason: v.reason }, { onError: errors.handle });
            }}
          >
            <Table
              rowKey="itemId"
              size="small"
              pagination={false}
              dataSource={s.lines}
              columns={[
                { title: t('market.item'), render: (_, l) => `${l.name}（${l.unit}）` },
                { title: t('market.returns.sold'), dataIndex: 'quantity' },
                { title: t('market.returns.returned'), dataIndex: 'returned' },
                ...(can('store:manage')
                  ? [
                      {
                        title: t('market.returns.bringBack'),
                        render: (_: unknown, l: (typeof s.lines)[number]) => (
                          <Form.Item name={['quantities', String(l.itemId)]} noStyle>
                            <InputNumber
                              min={0}
                              max={l.quantity - l.returned}
                              precision={0}
                              disabled={l.quantity === l.returned}
                              aria-label={`${t('market.returns.bringBack')} ${l.name}`}
                              data-testid={`return-qty-${l.itemId}`}
                            />
                          </Form.Item>
                        ),
                      },
                    ]
                  : []),
              ]}
            />
            {can('store:manage') && (
              <>
                <Form.Item
                  name="reason"
                  label={t('market.returns.reason')}
                  style={{ marginTop: 12 }}
                  rules={[{ required: true, whitespace: true, message: t('market.returns.reasonRequired') }]}
                >
                  <Input.TextArea rows={2} maxLength={500} data-testid="return-reason" />
                </Form.Item>
                <Button type="primary" htmlType="submit" loading={take.isPending} data-testid="return-submit">
                  {t('market.returns.submit')}
                </Button>
              </>
            )}
          </Form>
        </Card>
      )}
    </Space>
  );
}
