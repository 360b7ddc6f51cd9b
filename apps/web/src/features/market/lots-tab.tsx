import type { Item, StockLot } from '@qiao/contracts';
import {
  Alert,
  Button,
  DatePicker,
  Flex,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { NamePath } from 'antd/es/form/interface';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth-context.js';
import { FormModal } from '../../components/form-modal.js';
import { QueryError } from '../../components/query-state.js';
import { errorMessage } from '../../lib/errors.js';
import { useLots, useSetTracking, useWriteOffLot } from './lots-api.js';
import { useStores } from './market-api.js';

// Lots with expiry dates (ADR 0016): a store's lots and their write-off, the report's "expiring
// soon" table, the expiry fields of goods in, and the catalogue's tracking switch.

/** Expired (red), expiring within a week (orange), else the days left. */
export function ExpiryTag({ lot }: { lot: Pick<StockLot, 'expired' | 'daysLeft'> }) {
  const { t } = useTranslation();
  if (lot.expired) return <Tag color="red">{t('market.lots.expired')}</Tag>;
  return (
    <Tag color={lot.daysLeft <= 7 ? 'orange' : 'default'}>{t('market.lots.daysLeft', { count: lot.daysLeft })}</Tag>
  );
}

function lotColumns(t: (key: string) => string) {
  return [
    { title: t('market.item'), dataIndex: 'itemName' },
    { title: t('market.lots.lotCode'), dataIndex: 'lotCode', render: (c: string | null) => c ?? '—' },
    { title: t('market.lots.expiresOn'), dataIndex: 'expiresOn' },
    { title: t('market.lots.status'), key: 'status', render: (_: unknown, l: StockLot) => <ExpiryTag lot={l} /> },
    {
      title: t('market.onHand'),
      key: 'onHand',
      align: 'right' as const,
      render: (_: unknown, l: StockLot) => `${l.onHand} ${l.unit}`,
    },
  ];
}

/** The report's "lots expiring soon": expired lots first, with the window the person chose. */
export function ExpiringSoon({
  lots,
  days,
  onDays,
}: {
  lots: StockLot[];
  days: number;
  onDays: (days: number) => void;
}) {
  const { t } = useTranslation();
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Flex gap={12} align="center" wrap>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('market.lots.expiringSoon')}
        </Typography.Title>
        <span>{t('market.lots.within')}</span>
        <InputNumber
          aria-label={t('market.lots.withinDays')}
          data-testid="expiring-days"
          min={0}
          max={365}
          precision={0}
          value={days}
          onChange={(v) => typeof v === 'number' && onDays(v)}
          addonAfter={t('market.lots.days')}
        />
      </Flex>
      <Table
        data-testid="expiring-soon"
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={lots}
        locale={{ emptyText: t('market.lots.noneExpiring') }}
        columns={lotColumns(t)}
      />
    </Space>
  );
}

/** A store's lots with their expiry; store managers write an expired or damaged lot off with a reason. */
export function LotsTab() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const stores = useStores();
  const [storeId, setStoreId] = useState<number>();
  const [within, setWithin] = useState<number>();
  const current = storeId ?? stores.data?.[0]?.id;
  const lots = useLots(current, within);
  const [target, setTarget] = useState<StockLot>();
  const writeOff = useWriteOffLot(current ?? 0);
  const [form] = Form.useForm<{ quantity: number; reason: string }>();
  const expired = (lots.data ?? []).filter((l) => l.expired);
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Flex gap={12} wrap align="center">
        <Select
          aria-label={t('market.store')}
          data-testid="lots-store"
          style={{ minWidth: 220 }}
          value={current}
          onChange={setStoreId}
          options={(stores.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
        />
        <Select
          aria-label={t('market.lots.withinDays')}
          style={{ minWidth: 200 }}
          value={within ?? 'all'}
          onChange={(v) => setWithin(v === 'all' ? undefined : Number(v))}
          options={[
            { value: 'all', label: t('market.lots.allLots') },
            ...[7, 30, 90].map((d) => ({ value: d, label: t('market.lots.withinN', { count: d }) })),
          ]}
        />
      </Flex>
      {expired.length > 0 && (
        <Alert type="warning" showIcon title={t('market.lots.expiredWarning', { count: expired.length })} />
      )}
      {lots.error ? <QueryError error={lots.error} onRetry={() => lots.refetch()} /> : null}
      <Table
        data-testid="lots-table"
        size="small"
        rowKey="id"
        loading={lots.isLoading}
        dataSource={lots.data ?? []}
        locale={{ emptyText: t('market.lots.none') }}
        columns={[
          ...lotColumns(t),
          {
            title: '',
            key: 'writeOff',
            render: (_: unknown, l: StockLot) =>
              can('store:manage') && (
                <Button size="small" danger={l.expired} data-testid="lot-write-off" onClick={() => setTarget(l)}>
                  {t('market.lots.writeOff')}
                </Button>
              ),
          },
        ]}
      />
      <FormModal
        open={target !== undefined}
        title={
          target
            ? t('market.lots.writeOffTitle', { name: target.itemName, expiresOn: target.expiresOn })
            : t('market.lots.writeOff')
        }
        form={form}
        initialValues={{
          quantity: target?.onHand,
          reason: target?.expired ? t('market.lots.expiredReason') : undefined,
        }}
        onClose={() => setTarget(undefined)}
        submit={(v) => writeOff.mutateAsync({ lot: target!, quantity: v.quantity, reason: v.reason })}
        submitTestId="lot-write-off-submit"
        submitText={t('market.lots.writeOff')}
      >
        <Form.Item
          name="quantity"
          label={t('market.quantity')}
          rules={[{ required: true, message: t('fieldErrors.required') }]}
        >
          <InputNumber min={1} max={target?.onHand} precision={0} />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('market.ops.reason')}
          rules={[{ required: true, whitespace: true, message: t('market.lots.reasonRequired') }]}
        >
          <Input maxLength={200} data-testid="lot-write-off-reason" />
        </Form.Item>
      </FormModal>
    </Space>
  );
}

/**
 * The expiry date (required) and lot code of a goods-in line, shown only when its item tracks
 * expiry. `itemPath` is the item field's full path (to watch it); `prefix` names these fields
 * relative to the enclosing Form.List, or from the root.
 */
export function LotFields({
  itemPath,
  prefix,
  items,
}: {
  itemPath: NamePath;
  prefix: (string | number)[];
  items: Item[] | undefined;
}) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const itemId = Form.useWatch(itemPath, form) as number | undefined;
  const item = items?.find((i) => i.id === itemId);
  if (!item?.tracksExpiry) return null;
  return (
    <>
      <Form.Item
        name={[...prefix, 'expiresOn']}
        label={t('market.lots.expiresOn')}
        rules={[{ required: true, message: t('market.lots.expiryRequired') }]}
      >
        <DatePicker data-testid="lot-expires-on" disabledDate={(d) => d.isBefore(dayjs(), 'day')} format="YYYY-MM-DD" />
      </Form.Item>
      <Form.Item name={[...prefix, 'lotCode']} label={t('market.lots.lotCode')}>
        <Input maxLength={40} style={{ width: 140 }} data-testid="lot-code" />
      </Form.Item>
    </>
  );
}

/** The catalogue's switch: only while no store holds the item (the server says why otherwise). */
export function TrackingSwitch({ item }: { item: Item }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const set = useSetTracking();
  return (
    <Space direction="vertical" size={0}>
      <Switch
        size="small"
        aria-label={t('market.lots.tracksExpiry')}
        checked={item.tracksExpiry}
        disabled={!can('catalogue:manage')}
        loading={set.isPending}
        onChange={(on) => set.mutate({ itemId: item.id, tracksExpiry: on })}
      />
      {set.error ? <Typography.Text type="danger">{errorMessage(t, set.error)}</Typography.Text> : null}
    </Space>
  );
}
