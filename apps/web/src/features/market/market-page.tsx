import type { Item } from '@qiao/contracts';
import { Alert, Button, Card, Checkbox, Flex, Form, Input, InputNumber, Select, Space, Table, Tabs, Tag } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAuth } from '../../app/auth-context.js';
import { ReportTab } from './report-tab.js';
import { LotFields, LotsTab, TrackingSwitch } from './lots-tab.js';
import { lotOf } from './lots-api.js';
import type { Dayjs } from 'dayjs';
import { SaleReturnsTab } from './sale-returns.js';
import { StockOperations } from './stock-operations.js';
import { NewProgramForm } from './program-form.js';
import { StockTakeCard } from './stock-take.js';
import { TransferCard } from './transfer-form.js';
import { FormAlert } from '../../components/form-alert.js';
import { JurisdictionTreeSelect } from '../../components/jurisdiction-tree-select.js';
import { PageTitle } from '../../components/page-title.js';
import { QueryError } from '../../components/query-state.js';
import { formatInstant } from '../../lib/format.js';
import { useServerErrors } from '../../lib/use-server-errors.js';
import {
  donationReceiptUrl,
  itemByBarcode,
  toFen,
  useCreateItem,
  useCreateStore,
  useDonations,
  useGrantPeriod,
  useItems,
  usePrograms,
  useRecordDonation,
  useStock,
  useStores,
  yuan,
} from './market-api.js';

/** The supermarket: stores and stock, the catalogue, donations in, entitlement programs. */
export function MarketPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const tabs = [
    { key: 'stock', label: t('market.tabs.stock'), children: <StockTab /> },
    ...(can('donation:record')
      ? [{ key: 'donations', label: t('market.tabs.donations'), children: <DonationsTab /> }]
      : []),
    { key: 'lots', label: t('market.lots.tab'), children: <LotsTab /> },
    { key: 'catalogue', label: t('market.tabs.catalogue'), children: <CatalogueTab /> },
    { key: 'programs', label: t('market.tabs.programs'), children: <ProgramsTab /> },
    { key: 'sales', label: t('market.tabs.sales'), children: <SaleReturnsTab /> },
    { key: 'report', label: t('market.tabs.report'), children: <ReportTab /> },
  ];
  return (
    <>
      <PageTitle
        title={t('market.title')}
        extra={
          can('till:checkout') && (
            <Link to="/market/till" data-testid="open-till">
              <Button type="primary">{t('market.till.title')}</Button>
            </Link>
          )
        }
      />
      <Tabs items={tabs} destroyOnHidden />
    </>
  );
}

function StoreSelect({ value, onChange }: { value?: number; onChange: (id: number) => void }) {
  const { t } = useTranslation();
  const stores = useStores();
  return (
    <Select
      aria-label={t('market.store')}
      data-testid="store-select"
      style={{ minWidth: 220 }}
      placeholder={t('market.chooseStore')}
      value={value}
      onChange={onChange}
      options={(stores.data ?? []).map((s) => ({ value: s.id, label: `${s.name}（${s.jurisdictionName}）` }))}
    />
  );
}

function StockTab() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const stores = useStores();
  const [storeId, setStoreId] = useState<number>();
  const current = storeId ?? stores.data?.[0]?.id;
  const stock = useStock(current);
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Flex gap={12} wrap>
        <StoreSelect value={current} onChange={setStoreId} />
      </Flex>
      {stock.error ? <QueryError error={stock.error} onRetry={() => stock.refetch()} /> : null}
      <Table
        rowKey="itemId"
        size="small"
        loading={stock.isLoading}
        dataSource={stock.data ?? []}
        pagination={false}
        columns={[
          { title: t('market.item'), dataIndex: 'name' },
          { title: t('market.onHand'), dataIndex: 'onHand', align: 'right' },
        ]}
      />
      {can('store:manage') && current !== undefined && <StockOperations storeId={current} />}
      {can('store:manage') && current !== undefined && <StockTakeCard key={`take-${current}`} storeId={current} />}
      {can('store:manage') && current !== undefined && <TransferCard key={`move-${current}`} storeId={current} />}
      {can('store:manage') && <NewStoreForm />}
    </Space>
  );
}

function NewStoreForm() {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ name: string; jurisdictionId: number }>();
  const create = useCreateStore();
  const errors = useServerErrors(form);
  return (
    <Card size="small" title={t('market.newStore')}>
      <FormAlert message={errors.alert} />
      <Form
        form={form}
        layout="inline"
        onFinish={(v) => create.mutate(v, { onSuccess: () => form.resetFields(), onError: errors.handle })}
      >
        <Form.Item
          name="name"
          label={t('market.storeName')}
          rules={[{ required: true, message: t('fieldErrors.required') }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="jurisdictionId"
          label={t('market.subdistrict')}
          rules={[{ required: true, message: t('fieldErrors.required') }]}
        >
          <JurisdictionTreeSelect levels={['subdistrict']} />
        </Form.Item>
        <Button htmlType="submit" loading={create.isPending}>
          {t('market.create')}
        </Button>
      </Form>
    </Card>
  );
}

interface DonationForm {
  storeId: number;
  anonymous: boolean;
  donorName?: string;
  donorKind?: 'person' | 'company' | 'organization';
  lines: { itemId?: number; quantity?: number; expiresOn?: Dayjs | null; lotCode?: string }[];
  amount?: string;
}

function DonationsTab() {
  const { t } = useTranslation();
  const stores = useStores();
  const items = useItems();
  const donations = useDonations();
  const record = useRecordDonation();
  const [form] = Form.useForm<DonationForm>();
  const errors = useServerErrors(form);
  const [last, setLast] = useState<{ id: number; receiptNo: string }>();
  const [scan, setScan] = useState('');
  const anonymous = Form.useWatch('anonymous', form);

  // A scanner sends codes faster than lookups answer: clear the field at once, look up in order.
  const queue = useRef<Promise<void>>(Promise.resolve());
  function scanned() {
    const code = scan.trim();
    if (!code) return;
    setScan('');
    queue.current = queue.current.then(async () => {
      const item = await itemByBarcode(code).catch(() => undefined);
      if (!item) return form.setFields([{ name: 'lines', errors: [t('market.unknownBarcode')] }]);
      const lines = (form.getFieldValue('lines') as DonationForm['lines']) ?? [];
      const at = lines.findIndex((l) => l.itemId === item.id);
      form.setFieldValue(
        'lines',
        at < 0
          ? [...lines.filter((l) => l.itemId), { itemId: item.id, quantity: 1 }]
          : lines.map((l, i) => (i === at ? { ...l, quantity: (l.quantity ?? 0) + 1 } : l)),
      );
    });
  }

  function submit(v: DonationForm) {
    const amountFen = v.amount ? toFen(v.amount) : undefined;
    if (v.amount && amountFen === undefined)
      return form.setFields([{ name: 'amount', errors: [t('market.badAmount')] }]);
    record.mutate(
      {
        storeId: v.storeId,
        ...(v.anonymous || !v.donorName
          ? {}
          : { donor: { name: v.donorName, ...(v.donorKind ? { kind: v.donorKind } : {}) } }),
        lines: (v.lines ?? [])
          .filter((l) => l.itemId && l.quantity)
          .map((l) => ({ itemId: l.itemId!, quantity: l.quantity!, ...lotOf(l) })),
        ...(amountFen ? { amountFen } : {}),
      },
      {
        onSuccess: (d) => {
          setLast({ id: d.id, receiptNo: d.receiptNo });
          form.resetFields();
          errors.clear();
        },
        onError: errors.handle,
      },
    );
  }

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Card title={t('market.newDonation')}>
        <FormAlert message={errors.alert} />
        {last && (
          <Alert
            type="success"
            showIcon
            data-testid="donation-done"
            title={t('market.donationDone', { receiptNo: last.receiptNo })}
            action={
              <Button
                type="primary"
                autoFocus
                data-testid="donation-print"
                onClick={() => window.open(donationReceiptUrl(last.id), '_blank', 'noopener')}
              >
                {t('market.printReceipt')}
              </Button>
            }
            style={{ marginBottom: 12 }}
          />
        )}
        <Form
          form={form}
          layout="vertical"
          initialValues={{ storeId: stores.data?.[0]?.id, anonymous: false, lines: [{}] }}
          onFinish={submit}
        >
          <Form.Item
            name="storeId"
            label={t('market.store')}
            rules={[{ required: true, message: t('fieldErrors.required') }]}
          >
            <Select
              data-testid="donation-store"
              options={(stores.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
            />
          </Form.Item>
          <Form.Item name="anonymous" valuePropName="checked">
            <Checkbox>{t('market.anonymous')}</Checkbox>
          </Form.Item>
          {!anonymous && (
            <Flex gap={12} wrap>
              <Form.Item name="donorName" label={t('market.donorName')} style={{ flex: '1 1 240px' }}>
                <Input maxLength={100} data-testid="donor-name" />
              </Form.Item>
              <Form.Item name="donorKind" label={t('market.donorKind')} style={{ flex: '0 1 200px' }}>
                <Select
                  allowClear
                  options={(['person', 'company', 'organization'] as const).map((k) => ({
                    value: k,
                    label: t(`market.donorKinds.${k}`),
                  }))}
                />
              </Form.Item>
            </Flex>
          )}
          <Form.Item label={t('market.scanToAdd')}>
            <Input
              data-testid="donation-scan"
              value={scan}
              placeholder={t('market.scanPlaceholder')}
              onChange={(e) => setScan(e.target.value)}
              onPressEnter={(e) => {
                e.preventDefault();
                scanned();
              }}
            />
          </Form.Item>
          <Form.List name="lines">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field) => (
                  <Flex key={field.key} gap={12} wrap align="baseline">
                    <Form.Item name={[field.name, 'itemId']} label={t('market.item')} style={{ flex: '1 1 260px' }}>
                      <Select
                        showSearch
                        optionFilterProp="label"
                        data-testid="donation-item"
                        options={(items.data ?? []).map((i: Item) => ({
                          value: i.id,
                          label: `${i.name}（${i.unit}）`,
                        }))}
                      />
                    </Form.Item>
                    <Form.Item name={[field.name, 'quantity']} label={t('market.quantity')}>
                      <InputNumber min={1} max={100000} precision={0} data-testid="donation-quantity" />
                    </Form.Item>
                    <LotFields itemPath={['lines', field.name, 'itemId']} prefix={[field.name]} items={items.data} />
                    <Button onClick={() => remove(field.name)}>{t('market.till.remove')}</Button>
                  </Flex>
                ))}
                <Button onClick={() => add({})}>{t('market.addLine')}</Button>
              </>
            )}
          </Form.List>
          <Form.Item
            name="amount"
            label={t('market.amountYuan')}
            style={{ marginTop: 12 }}
            extra={t('market.amountHelp')}
          >
            <Input inputMode="decimal" style={{ maxWidth: 200 }} data-testid="donation-amount" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={record.isPending} data-testid="donation-submit">
            {t('market.recordDonation')}
          </Button>
        </Form>
      </Card>
      <Table
        rowKey="id"
        size="small"
        loading={donations.isLoading}
        dataSource={donations.data ?? []}
        columns={[
          { title: t('market.receiptNo'), dataIndex: 'receiptNo' },
          { title: t('market.store'), dataIndex: 'storeName' },
          { title: t('market.donor'), render: (_, d) => d.donor?.name ?? t('market.anonymous') },
          {
            title: t('market.goods'),
            render: (_, d) => d.lines.map((l) => `${l.name}×${l.quantity}`).join('，') || '—',
          },
          { title: t('market.amountYuan'), render: (_, d) => (d.amountFen === null ? '—' : yuan(d.amountFen)) },
          { title: t('market.recordedAt'), render: (_, d) => formatInstant(d.createdAt) },
          {
            title: '',
            render: (_, d) => (
              <a href={donationReceiptUrl(d.id)} target="_blank" rel="noopener noreferrer">
                {t('market.printReceipt')}
              </a>
            ),
          },
        ]}
      />
    </Space>
  );
}

function CatalogueTab() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [q, setQ] = useState('');
  const items = useItems(q);
  const create = useCreateItem();
  const [form] = Form.useForm<{
    name: string;
    unit: string;
    pointsPrice: number;
    category: string;
    barcode?: string;
    tracksExpiry?: boolean;
  }>();
  const errors = useServerErrors(form, { conflict: 'barcode' });
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Input.Search allowClear style={{ maxWidth: 320 }} placeholder={t('market.searchItems')} onSearch={setQ} />
      <Table
        rowKey="id"
        size="small"
        loading={items.isLoading}
        dataSource={items.data ?? []}
        columns={[
          { title: t('market.item'), dataIndex: 'name' },
          { title: t('market.unit'), dataIndex: 'unit' },
          { title: t('market.category'), dataIndex: 'category', render: (c: string) => <Tag>{c}</Tag> },
          { title: t('market.pointsPrice'), dataIndex: 'pointsPrice', align: 'right' },
          { title: t('market.barcode'), dataIndex: 'barcode', render: (b: string | null) => b ?? '—' },
          { title: t('market.lots.tracksExpiry'), key: 'tracks', render: (_, i) => <TrackingSwitch item={i} /> },
        ]}
      />
      {can('catalogue:manage') && (
        <Card size="small" title={t('market.newItem')}>
          <FormAlert message={errors.alert} />
          <Form
            form={form}
            layout="inline"
            onFinish={(v) =>
              create.mutate(
                { ...v, barcode: v.barcode || undefined },
                { onSuccess: () => form.resetFields(), onError: errors.handle },
              )
            }
          >
            <Form.Item
              name="name"
              label={t('market.item')}
              rules={[{ required: true, message: t('fieldErrors.required') }]}
            >
              <Input maxLength={100} />
            </Form.Item>
            <Form.Item
              name="unit"
              label={t('market.unit')}
              rules={[{ required: true, message: t('fieldErrors.required') }]}
            >
              <Input maxLength={20} style={{ width: 100 }} />
            </Form.Item>
            <Form.Item
              name="category"
              label={t('market.category')}
              rules={[{ required: true, message: t('fieldErrors.required') }]}
            >
              <Input maxLength={50} style={{ width: 120 }} />
            </Form.Item>
            <Form.Item
              name="pointsPrice"
              label={t('market.pointsPrice')}
              rules={[{ required: true, message: t('fieldErrors.required') }]}
            >
              <InputNumber min={0} max={100000} precision={0} />
            </Form.Item>
            <Form.Item name="barcode" label={t('market.barcode')}>
              <Input maxLength={13} inputMode="numeric" style={{ width: 160 }} />
            </Form.Item>
            <Form.Item name="tracksExpiry" valuePropName="checked">
              <Checkbox data-testid="item-tracks-expiry">{t('market.lots.tracksExpiryHelp')}</Checkbox>
            </Form.Item>
            <Button htmlType="submit" loading={create.isPending}>
              {t('market.create')}
            </Button>
          </Form>
        </Card>
      )}
    </Space>
  );
}

function ProgramsTab() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const programs = usePrograms();
  const grant = useGrantPeriod();
  const [granted, setGranted] = useState<string>();
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      {programs.data?.length === 0 && <Alert type="info" showIcon title={t('market.noPrograms')} />}
      {granted && <Alert type="success" showIcon closable title={granted} onClose={() => setGranted(undefined)} />}
      {grant.error ? <QueryError error={grant.error} /> : null}
      <Table
        rowKey="id"
        size="small"
        loading={programs.isLoading}
        dataSource={programs.data ?? []}
        pagination={false}
        columns={[
          { title: t('market.programName'), dataIndex: 'name' },
          { title: t('market.period'), dataIndex: 'period', render: (p: string) => t(`market.periods.${p}`) },
          {
            title: t('market.pointsByCategory'),
            render: (_, p) =>
              Object.entries(p.pointsByCategory)
                .map(([c, n]) => `${t(`market.categories.${c}`)} ${n}`)
                .join('；'),
          },
          {
            title: t('market.quotas'),
            render: (_, p) => p.quotas.map((q) => `${q.itemName} ≤ ${q.quantity}`).join('；') || '—',
          },
          { title: t('market.visitLimit'), dataIndex: 'visitLimit', render: (v: number | null) => v ?? '—' },
          {
            title: t('market.lots.pointsValid'),
            dataIndex: 'pointsValidMonths',
            render: (m: number | null) => (m ? t('market.lots.months', { count: m }) : t('market.lots.never')),
          },
          {
            title: '',
            key: 'grant',
            render: (_, p) =>
              can('points:grant') &&
              p.active && (
                <Button
                  size="small"
                  loading={grant.isPending && grant.variables === p.id}
                  onClick={() =>
                    grant.mutate(p.id, { onSuccess: (r) => setGranted(t('market.periodGranted', { ...r })) })
                  }
                >
                  {t('market.grantPeriod')}
                </Button>
              ),
          },
          {
            title: '',
            dataIndex: 'active',
            render: (a: boolean) => (
              <Tag color={a ? 'green' : 'default'}>{t(a ? 'market.active' : 'market.inactive')}</Tag>
            ),
          },
        ]}
      />
      {can('entitlement:manage') && <NewProgramForm />}
    </Space>
  );
}
