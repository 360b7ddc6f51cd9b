import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import type { Item } from '@qiao/contracts';
import { Alert, Button, Card, Flex, Form, Input, InputNumber, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormAlert } from '../../components/form-alert.js';
import { useServerErrors } from '../../lib/use-server-errors.js';
import { useItems, useStores } from './market-api.js';
import { shortLinesAsFieldErrors, useTransfer } from './stock-count-api.js';

interface Values {
  toStoreId: number;
  lines: { itemId: number; quantity: number }[];
  reason?: string;
}

/**
 * Moves goods from this store to another of the caller's (a transfer_out / transfer_in pair written
 * together). A line asking more than is on hand shows how much there is, under its quantity.
 */
export function TransferCard({ storeId }: { storeId: number }) {
  const { t } = useTranslation();
  const stores = useStores();
  const items = useItems();
  const transfer = useTransfer(storeId);
  const [form] = Form.useForm<Values>();
  const errors = useServerErrors(form);
  const [done, setDone] = useState<string>();

  const submit = (v: Values) => {
    setDone(undefined);
    const body = { toStoreId: v.toStoreId, lines: v.lines, ...(v.reason?.trim() ? { reason: v.reason.trim() } : {}) };
    transfer.mutate(body, {
      onSuccess: () => {
        setDone(t('market.transfer.done', { store: stores.data?.find((s) => s.id === v.toStoreId)?.name ?? '' }));
        form.resetFields();
      },
      onError: (e) =>
        errors.handle(
          shortLinesAsFieldErrors(
            e,
            (itemId) => {
              const i = v.lines.findIndex((l) => l.itemId === itemId);
              return i < 0 ? undefined : i;
            },
            (onHand) => t('market.transfer.short', { onHand }),
          ),
        ),
    });
  };

  return (
    <Card size="small" title={t('market.transfer.title')} data-testid="transfer">
      {done && (
        <Alert
          type="success"
          showIcon
          closable
          title={done}
          onClose={() => setDone(undefined)}
          style={{ marginBottom: 12 }}
        />
      )}
      <FormAlert message={errors.alert} />
      <Form form={form} layout="vertical" initialValues={{ lines: [{}] }} onFinish={submit}>
        <Form.Item
          name="toStoreId"
          label={t('market.transfer.to')}
          rules={[{ required: true, message: t('fieldErrors.required') }]}
        >
          <Select
            data-testid="transfer-to"
            style={{ maxWidth: 320 }}
            options={(stores.data ?? []).filter((s) => s.id !== storeId).map((s) => ({ value: s.id, label: s.name }))}
          />
        </Form.Item>
        <Form.List name="lines">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, index) => (
                <Flex key={field.key} gap={8} align="start" wrap>
                  <Form.Item
                    name={[field.name, 'itemId']}
                    label={index === 0 ? t('market.item') : undefined}
                    rules={[{ required: true, message: t('fieldErrors.required') }]}
                  >
                    <Select
                      showSearch
                      optionFilterProp="label"
                      style={{ minWidth: 220 }}
                      aria-label={t('market.item')}
                      data-testid={`transfer-item-${index}`}
                      options={(items.data ?? []).map((i: Item) => ({ value: i.id, label: `${i.name}（${i.unit}）` }))}
                    />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'quantity']}
                    label={index === 0 ? t('market.quantity') : undefined}
                    rules={[{ required: true, message: t('fieldErrors.required') }]}
                  >
                    <InputNumber
                      min={1}
                      max={100000}
                      precision={0}
                      aria-label={t('market.quantity')}
                      data-testid={`transfer-quantity-${index}`}
                    />
                  </Form.Item>
                  {fields.length > 1 && (
                    <Button
                      type="text"
                      icon={<MinusCircleOutlined />}
                      aria-label={t('market.transfer.removeLine')}
                      onClick={() => remove(field.name)}
                      style={{ marginTop: index === 0 ? 30 : 0 }}
                    />
                  )}
                </Flex>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add({})} style={{ marginBottom: 12 }}>
                {t('market.addLine')}
              </Button>
            </>
          )}
        </Form.List>
        <Form.Item name="reason" label={t('market.transfer.reason')}>
          <Input maxLength={200} data-testid="transfer-reason" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={transfer.isPending} data-testid="transfer-submit">
          {t('market.transfer.submit')}
        </Button>
      </Form>
    </Card>
  );
}
