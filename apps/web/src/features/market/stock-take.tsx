import { Alert, Button, Card, Form, Input, InputNumber, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormAlert } from '../../components/form-alert.js';
import { QueryError } from '../../components/query-state.js';
import { useServerErrors } from '../../lib/use-server-errors.js';
import { useStock } from './market-api.js';
import { renameLineErrors, useStockTake, type StockTakeResult } from './stock-count-api.js';

interface Values {
  counts: Record<string, number | null | undefined>;
  reason: string;
}

/**
 * The count sheet of one store: each item's on-hand beside the quantity counted, the difference as
 * it is typed, and posting the sheet with a reason; the server writes an adjustment per difference.
 * Items left blank were not counted and are not sent. Tab moves from one count to the next.
 */
export function StockTakeCard({ storeId }: { storeId: number }) {
  const { t } = useTranslation();
  const stock = useStock(storeId);
  const post = useStockTake(storeId);
  const [form] = Form.useForm<Values>();
  const errors = useServerErrors(form);
  const counts = Form.useWatch('counts', form) ?? {};
  const [result, setResult] = useState<StockTakeResult>();
  const [nothing, setNothing] = useState(false);
  const rows = useMemo(() => stock.data ?? [], [stock.data]);
  const nameOf = (id: number) => rows.find((r) => r.itemId === id)?.name ?? `#${id}`;

  const submit = (v: Values) => {
    const lines = rows
      .filter((r) => typeof v.counts?.[r.itemId] === 'number')
      .map((r) => ({ itemId: r.itemId, counted: v.counts[r.itemId] as number }));
    setNothing(lines.length === 0);
    if (lines.length === 0) return;
    setResult(undefined);
    post.mutate(
      { lines, reason: v.reason.trim() },
      {
        onSuccess: (r) => {
          setResult(r);
          form.resetFields();
        },
        // A line's error goes under that item's count.
        onError: (e) =>
          errors.handle(renameLineErrors(e, (n, f) => (f === 'counted' ? `counts.${lines[n]?.itemId}` : undefined))),
      },
    );
  };

  return (
    <Card size="small" title={t('market.stockTake.title')} data-testid="stock-take">
      <Typography.Paragraph type="secondary">{t('market.stockTake.help')}</Typography.Paragraph>
      {result && (
        <Alert
          type="success"
          showIcon
          closable
          onClose={() => setResult(undefined)}
          style={{ marginBottom: 12 }}
          data-testid="stock-take-result"
          title={t('market.stockTake.posted', { counted: result.counted, adjusted: result.adjustments.length })}
          description={result.adjustments
            .map(
              (a) => `${nameOf(a.itemId)} ${a.before} → ${a.counted} (${a.difference > 0 ? '+' : ''}${a.difference})`,
            )
            .join('；')}
        />
      )}
      <FormAlert message={errors.alert ?? (nothing ? t('market.stockTake.nothingCounted') : undefined)} />
      {stock.error ? <QueryError error={stock.error} onRetry={() => void stock.refetch()} /> : null}
      <Form form={form} layout="vertical" onFinish={submit}>
        <Table
          rowKey="itemId"
          size="small"
          pagination={false}
          loading={stock.isLoading}
          dataSource={rows}
          locale={{ emptyText: t('market.stockTake.empty') }}
          columns={[
            { title: t('market.item'), dataIndex: 'name' },
            { title: t('market.onHand'), dataIndex: 'onHand', align: 'right' },
            {
              title: t('market.stockTake.counted'),
              key: 'counted',
              render: (_, r) => (
                <Form.Item name={['counts', r.itemId]} style={{ margin: 0 }}>
                  <InputNumber
                    min={0}
                    max={10_000_000}
                    precision={0}
                    aria-label={`${t('market.stockTake.counted')} ${r.name}`}
                    data-testid={`stock-take-count-${r.itemId}`}
                  />
                </Form.Item>
              ),
            },
            {
              title: t('market.stockTake.difference'),
              key: 'difference',
              align: 'right',
              render: (_, r) => {
                const c = counts[r.itemId];
                if (typeof c !== 'number') return '—';
                const d = c - r.onHand;
                return (
                  <span
                    style={{ color: d === 0 ? undefined : d > 0 ? '#389e0d' : '#cf1322', fontWeight: d ? 600 : 400 }}
                    data-testid={`stock-take-diff-${r.itemId}`}
                  >
                    {d > 0 ? `+${d}` : d}
                  </span>
                );
              },
            },
          ]}
        />
        <Form.Item
          name="reason"
          label={t('market.stockTake.reason')}
          rules={[{ required: true, whitespace: true, message: t('fieldErrors.required') }]}
          style={{ marginTop: 12 }}
        >
          <Input maxLength={200} data-testid="stock-take-reason" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={post.isPending} data-testid="stock-take-submit">
          {t('market.stockTake.post')}
        </Button>
      </Form>
    </Card>
  );
}
