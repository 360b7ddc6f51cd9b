import type { Item } from '@qiao/contracts';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Empty,
  Flex,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import type { InputRef } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageTitle } from '../../components/page-title.js';
import { isApiError } from '../../lib/api.js';
import { errorMessage } from '../../lib/errors.js';
import {
  checkout,
  checkoutByReceipt,
  checkoutReceiptUrl,
  findHouseholds,
  itemByBarcode,
  searchItems,
  useEntitlement,
  useStores,
  type HouseholdHit,
} from './market-api.js';

const STORE_KEY = 'qiao.till.store';

interface CartLine {
  item: Item;
  quantity: number;
}

interface Sale {
  receiptNo: string;
  pointsSpent: number;
  pointsLeft: number;
}

/** A barcode scanner types digits fast and ends with Enter; so does a person typing a card number. */
const looksLikeBarcode = (text: string) => /^\d{8,14}$/.test(text);

/**
 * The till, for volunteers who work from the keyboard and a barcode scanner alone:
 * 1. scan the card (or type card number, phone, ID number or name) and Enter;
 * 2. scan items (Enter adds one), or type a name and pick with Tab/Enter; quantities are editable;
 * 3. Enter on the empty scan field asks to confirm, Enter confirms; 4. the receipt prints with Enter.
 * Esc starts over. Every sale carries an Idempotency-Key made for exactly its lines, so a retry
 * after a lost answer is the same sale, never a second one.
 */
export function TillPage() {
  const { t } = useTranslation();
  const stores = useStores();
  const [chosenStore, setStoreId] = useState<number | undefined>(
    () => Number(localStorage.getItem(STORE_KEY)) || undefined,
  );
  // The remembered store while it is still one of the caller's, else the first.
  const storeId = stores.data?.some((s) => s.id === chosenStore) ? chosenStore : stores.data?.[0]?.id;
  const [find, setFind] = useState('');
  const [hits, setHits] = useState<HouseholdHit[] | null>(null);
  const [household, setHousehold] = useState<HouseholdHit>();
  const [scan, setScan] = useState('');
  const [candidates, setCandidates] = useState<Item[] | null>(null);
  const [cart, setCart] = useState<CartLine[]>([]);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [sale, setSale] = useState<Sale>();
  const keyFor = useRef<{ body: string; key: string }>(undefined);
  const findRef = useRef<InputRef>(null);
  const scanRef = useRef<InputRef>(null);
  const printRef = useRef<HTMLButtonElement>(null);
  const entitlement = useEntitlement(household?.id);

  useEffect(() => {
    findRef.current?.focus();
  }, []);
  useEffect(() => {
    if (storeId) localStorage.setItem(STORE_KEY, String(storeId));
  }, [storeId]);

  const points = cart.reduce((n, l) => n + l.quantity * l.item.pointsPrice, 0);
  const body = useMemo(
    () =>
      household && storeId
        ? { storeId, householdId: household.id, lines: cart.map((l) => ({ itemId: l.item.id, quantity: l.quantity })) }
        : undefined,
    [household, storeId, cart],
  );

  function reset() {
    setFind('');
    setHits(null);
    setHousehold(undefined);
    setScan('');
    setCandidates(null);
    setCart([]);
    setConfirming(false);
    setError(undefined);
    setSale(undefined);
    keyFor.current = undefined;
    setTimeout(() => findRef.current?.focus(), 0);
  }

  function choose(h: HouseholdHit) {
    setHousehold(h);
    setHits(null);
    setError(undefined);
    setTimeout(() => scanRef.current?.focus(), 0);
  }

  async function lookUp() {
    const q = find.trim();
    if (!q) return;
    setError(undefined);
    try {
      const found = await findHouseholds(q);
      if (found.length === 1) choose(found[0]!);
      else setHits(found);
    } catch (e) {
      setError(e);
    }
  }

  function add(item: Item, quantity = 1) {
    setCart((lines) => {
      const at = lines.findIndex((l) => l.item.id === item.id);
      if (at < 0) return [...lines, { item, quantity }];
      return lines.map((l, i) => (i === at ? { ...l, quantity: l.quantity + quantity } : l));
    });
    setCandidates(null);
    setError(undefined);
    setTimeout(() => scanRef.current?.focus(), 0);
  }

  // Scans arrive faster than lookups answer: each Enter clears the field at once (the next scan
  // types into an empty field) and lookups run one after another, in scan order.
  const queue = useRef<Promise<void>>(Promise.resolve());

  function onScan() {
    const text = scan.trim();
    if (!text) {
      if (cart.length) setConfirming(true);
      return;
    }
    setScan('');
    setError(undefined);
    queue.current = queue.current.then(async () => {
      try {
        if (looksLikeBarcode(text)) {
          const item = await itemByBarcode(text);
          if (item) return add(item);
        }
        const found = await searchItems(text);
        if (found.length === 1) add(found[0]!);
        else setCandidates(found);
      } catch (e) {
        setError(e);
      }
    });
  }

  async function confirm() {
    if (!body || busy) return;
    const text = JSON.stringify(body);
    // One key per exact sale: a retry of these lines reuses it, a changed cart gets a new one.
    if (keyFor.current?.body !== text) keyFor.current = { body: text, key: crypto.randomUUID() };
    setBusy(true);
    setError(undefined);
    try {
      const done = await checkout(body, keyFor.current.key);
      setSale(done);
      setConfirming(false);
      await entitlement.refetch();
      setTimeout(() => printRef.current?.focus(), 0);
    } catch (e) {
      setError(e);
      setConfirming(false);
      setTimeout(() => scanRef.current?.focus(), 0);
    } finally {
      setBusy(false);
    }
  }

  async function print() {
    if (!sale) return;
    try {
      const record = await checkoutByReceipt(sale.receiptNo);
      if (record) window.open(checkoutReceiptUrl(record.id), '_blank', 'noopener');
    } catch (e) {
      setError(e);
    }
  }

  const short = isApiError(error, 'insufficient_stock')
    ? ((error.problem.lines as { itemId: number; onHand: number; requested: number; expired?: number }[] | undefined) ??
      [])
    : [];
  const quotaLines = isApiError(error, 'quota_exceeded')
    ? ((error.problem.lines as { itemId: number; quota: number; used: number; requested: number }[] | undefined) ?? [])
    : [];
  const nameOf = (itemId: number) => cart.find((l) => l.item.id === itemId)?.item.name ?? String(itemId);
  const ent = entitlement.data;

  return (
    <div
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !confirming) reset();
      }}
    >
      <PageTitle
        title={t('market.till.title')}
        extra={
          <Select
            data-testid="till-store"
            aria-label={t('market.store')}
            style={{ minWidth: 220 }}
            value={storeId}
            onChange={setStoreId}
            options={(stores.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
          />
        }
      />
      <Typography.Paragraph type="secondary">{t('market.till.keys')}</Typography.Paragraph>
      {stores.data && stores.data.length === 0 && <Alert type="warning" showIcon title={t('market.till.noStore')} />}

      {!household && (
        <Card title={t('market.till.step1')}>
          <Space.Compact style={{ width: '100%' }}>
            <Input
              ref={findRef}
              autoFocus
              data-testid="till-find"
              size="large"
              aria-label={t('market.till.findLabel')}
              placeholder={t('market.till.findPlaceholder')}
              value={find}
              onChange={(e) => setFind(e.target.value)}
              onPressEnter={lookUp}
            />
            <Button size="large" type="primary" onClick={lookUp}>
              {t('market.till.find')}
            </Button>
          </Space.Compact>
          {hits && hits.length === 0 && <Empty description={t('market.till.noHousehold')} />}
          {hits && hits.length > 0 && (
            <Space direction="vertical" style={{ marginTop: 12, width: '100%' }}>
              {hits.map((h, i) => (
                <Button key={h.id} block autoFocus={i === 0} onClick={() => choose(h)} data-testid="till-hit">
                  {h.headName} · {h.cardNumber ?? '—'} · {h.idNumber} ·{' '}
                  {t(`market.categories.${h.category}`, h.category)}
                </Button>
              ))}
            </Space>
          )}
        </Card>
      )}

      {household && (
        <Flex gap={16} wrap align="start">
          <Card style={{ flex: '1 1 320px' }} title={t('market.till.household')}>
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('market.till.head')}>{household.headName}</Descriptions.Item>
              <Descriptions.Item label={t('market.till.card')}>{household.cardNumber ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('market.till.category')}>
                {t(`market.categories.${household.category}`, household.category)}
              </Descriptions.Item>
              <Descriptions.Item label={t('market.till.points')}>
                <Typography.Text strong data-testid="till-points">
                  {ent?.points ?? '…'}
                </Typography.Text>
              </Descriptions.Item>
              {ent?.nextExpiry && (
                <Descriptions.Item label={t('market.lots.pointsExpire')}>
                  <span data-testid="till-points-expiry">
                    {t('market.lots.pointsExpireOn', { points: ent.nextExpiry.points, on: ent.nextExpiry.on })}
                  </span>
                </Descriptions.Item>
              )}
              {ent?.visitsLeft != null && (
                <Descriptions.Item label={t('market.till.visitsLeft')}>{ent.visitsLeft}</Descriptions.Item>
              )}
            </Descriptions>
            {ent && !ent.mayRedeem && (
              <Alert type="error" showIcon title={t(`market.till.blocked.${ent.why ?? 'unverified'}`)} />
            )}
            {ent && ent.quotas.length > 0 && (
              <Table
                size="small"
                pagination={false}
                rowKey="itemId"
                dataSource={ent.quotas}
                columns={[
                  { title: t('market.item'), dataIndex: 'itemId', render: (id: number) => nameOf(id) },
                  { title: t('market.till.quotaLeft'), dataIndex: 'left' },
                ]}
              />
            )}
          </Card>

          <Card style={{ flex: '2 1 480px' }} title={t('market.till.step2')}>
            {!sale && (
              <Input
                ref={scanRef}
                autoFocus
                size="large"
                data-testid="till-scan"
                aria-label={t('market.till.scanLabel')}
                placeholder={t('market.till.scanPlaceholder')}
                value={scan}
                onChange={(e) => setScan(e.target.value)}
                onPressEnter={onScan}
              />
            )}
            {candidates && (
              <Space direction="vertical" style={{ marginTop: 8, width: '100%' }}>
                {candidates.length === 0 && (
                  <Typography.Text type="secondary">{t('market.till.noItem')}</Typography.Text>
                )}
                {candidates.map((item, i) => (
                  <Button
                    key={item.id}
                    block
                    autoFocus={i === 0}
                    onClick={() => add(item)}
                    data-testid="till-candidate"
                  >
                    {item.name} · {item.unit} · {t('market.pointsEach', { points: item.pointsPrice })}
                  </Button>
                ))}
              </Space>
            )}
            <Table
              style={{ marginTop: 12 }}
              size="small"
              pagination={false}
              rowKey={(l) => l.item.id}
              dataSource={cart}
              locale={{ emptyText: t('market.till.emptyCart') }}
              data-testid="till-cart"
              columns={[
                { title: t('market.item'), render: (_, l) => l.item.name },
                {
                  title: t('market.quantity'),
                  render: (_, l) => (
                    <InputNumber
                      aria-label={`${t('market.quantity')} ${l.item.name}`}
                      min={1}
                      max={100000}
                      precision={0}
                      value={l.quantity}
                      disabled={!!sale}
                      onChange={(v) =>
                        setCart((lines) =>
                          lines.map((x) => (x.item.id === l.item.id ? { ...x, quantity: Number(v) || 1 } : x)),
                        )
                      }
                    />
                  ),
                },
                { title: t('market.points'), render: (_, l) => l.quantity * l.item.pointsPrice },
                {
                  title: '',
                  render: (_, l) =>
                    !sale && (
                      <Button
                        size="small"
                        onClick={() => setCart((lines) => lines.filter((x) => x.item.id !== l.item.id))}
                      >
                        {t('market.till.remove')}
                      </Button>
                    ),
                },
              ]}
            />
            <Flex justify="space-between" align="center" style={{ marginTop: 12 }}>
              <Typography.Text strong data-testid="till-total">
                {t('market.till.total', { points })}
              </Typography.Text>
              {!sale && (
                <Space>
                  <Button onClick={reset}>{t('market.till.cancel')}</Button>
                  <Button
                    type="primary"
                    disabled={!cart.length}
                    onClick={() => setConfirming(true)}
                    data-testid="till-checkout"
                  >
                    {t('market.till.checkout')}
                  </Button>
                </Space>
              )}
            </Flex>
            {error !== undefined && (
              <Alert
                style={{ marginTop: 12 }}
                type="error"
                showIcon
                data-testid="till-error"
                title={errorMessage(t, error)}
                description={
                  short.length || quotaLines.length ? (
                    <ul style={{ margin: 0 }}>
                      {short.map((l) => (
                        <li key={l.itemId}>
                          {t('market.till.shortLine', {
                            name: nameOf(l.itemId),
                            onHand: l.onHand,
                            requested: l.requested,
                          })}
                          {l.expired ? ` ${t('market.lots.expiredAtTill', { count: l.expired })}` : null}
                        </li>
                      ))}
                      {quotaLines.map((l) => (
                        <li key={l.itemId}>
                          {t('market.till.quotaLine', {
                            name: nameOf(l.itemId),
                            quota: l.quota,
                            used: l.used,
                            requested: l.requested,
                          })}
                        </li>
                      ))}
                    </ul>
                  ) : undefined
                }
              />
            )}
            {sale && (
              <Alert
                style={{ marginTop: 12 }}
                type="success"
                showIcon
                data-testid="till-done"
                title={t('market.till.done', { receiptNo: sale.receiptNo })}
                description={t('market.till.doneDetail', { spent: sale.pointsSpent, left: sale.pointsLeft })}
                action={
                  <Space direction="vertical">
                    <Button ref={printRef} type="primary" autoFocus onClick={print} data-testid="till-print">
                      {t('market.till.print')}
                    </Button>
                    <Button onClick={reset} data-testid="till-next">
                      {t('market.till.next')}
                    </Button>
                  </Space>
                }
              />
            )}
          </Card>
        </Flex>
      )}

      <Modal
        open={confirming}
        title={t('market.till.confirmTitle')}
        okText={t('market.till.confirm')}
        cancelText={t('market.till.back')}
        okButtonProps={{ autoFocus: true, loading: busy, 'data-testid': 'till-confirm' } as never}
        onOk={confirm}
        onCancel={() => {
          setConfirming(false);
          setTimeout(() => scanRef.current?.focus(), 0);
        }}
      >
        <Typography.Paragraph>
          {t('market.till.confirmText', {
            count: cart.reduce((n, l) => n + l.quantity, 0),
            points,
            name: household?.headName ?? '',
          })}
        </Typography.Paragraph>
        {ent && points > ent.points && <Alert type="warning" showIcon title={t('errors.insufficient_points')} />}
      </Modal>
    </div>
  );
}
