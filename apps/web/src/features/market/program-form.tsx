import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { hardshipCategories, type Item } from '@qiao/contracts';
import { Button, Card, Flex, Form, Input, InputNumber, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { FormAlert } from '../../components/form-alert.js';
import { useServerErrors } from '../../lib/use-server-errors.js';
import { useCreateProgram, useItems } from './market-api.js';

/** Renders nothing: a Form.Item's place for an error about several inputs together. */
function ErrorAnchor() {
  return null;
}

interface Values {
  name: string;
  period: 'month' | 'quarter';
  points: Record<string, number | null>;
  quotas?: { itemId: number; quantity: number }[];
  visitLimit?: number;
  pointsValidMonths?: number;
}

/**
 * A new entitlement program: points per hardship category and period, and optionally at most so many
 * units of an item per household per period (quotas) and at most so many visits. Server errors show
 * under their fields (a quota's `quotas.N.quantity` under that line). A program's terms are fixed
 * once created: the API switches it on and off but does not edit it.
 */
export function NewProgramForm() {
  const { t } = useTranslation();
  const create = useCreateProgram();
  const items = useItems();
  const [form] = Form.useForm<Values>();
  const errors = useServerErrors(form);
  return (
    <Card size="small" title={t('market.newProgram')} data-testid="new-program">
      <Typography.Paragraph type="secondary">{t('market.programHelp')}</Typography.Paragraph>
      <FormAlert message={errors.alert} />
      <Form
        form={form}
        layout="vertical"
        initialValues={{ period: 'month', quotas: [] }}
        onFinish={(v) => {
          const pointsByCategory = Object.fromEntries(
            Object.entries(v.points ?? {}).filter(([, n]) => typeof n === 'number'),
          ) as Record<string, number>;
          create.mutate(
            {
              name: v.name,
              period: v.period,
              pointsByCategory,
              quotas: v.quotas ?? [],
              ...(v.visitLimit ? { visitLimit: v.visitLimit } : {}),
              ...(v.pointsValidMonths ? { pointsValidMonths: v.pointsValidMonths } : {}),
            },
            { onSuccess: () => form.resetFields(), onError: errors.handle },
          );
        }}
      >
        <Flex gap={12} wrap>
          <Form.Item
            name="name"
            label={t('market.programName')}
            rules={[{ required: true, message: t('fieldErrors.required') }]}
          >
            <Input maxLength={100} data-testid="program-name" />
          </Form.Item>
          <Form.Item name="period" label={t('market.period')}>
            <Select
              style={{ width: 120 }}
              options={(['month', 'quarter'] as const).map((p) => ({ value: p, label: t(`market.periods.${p}`) }))}
            />
          </Form.Item>
          <Form.Item name="visitLimit" label={t('market.visitLimit')} extra={t('market.programForm.visitHelp')}>
            <InputNumber min={1} max={1000} precision={0} data-testid="program-visit-limit" />
          </Form.Item>
          <Form.Item
            name="pointsValidMonths"
            label={t('market.lots.pointsValid')}
            extra={t('market.lots.pointsValidHelp')}
          >
            <InputNumber min={1} max={120} precision={0} data-testid="program-valid-months" />
          </Form.Item>
        </Flex>
        <Typography.Text strong>{t('market.pointsByCategory')}</Typography.Text>
        <Flex gap={12} wrap style={{ marginTop: 8 }}>
          {hardshipCategories.map((c) => (
            <Form.Item key={c} name={['points', c]} label={t(`market.categories.${c}`)}>
              <InputNumber min={0} max={1000000} precision={0} data-testid={`program-points-${c}`} />
            </Form.Item>
          ))}
        </Flex>
        {/* Where the server's pointsByCategory error (no category covered) is shown. */}
        <Form.Item name="pointsByCategory" style={{ marginTop: -16 }}>
          <ErrorAnchor />
        </Form.Item>
        <Typography.Text strong>{t('market.quotas')}</Typography.Text>
        <Typography.Paragraph type="secondary">{t('market.programForm.quotaHelp')}</Typography.Paragraph>
        <Form.List name="quotas">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, index) => (
                <Flex key={field.key} gap={8} align="start" wrap>
                  <Form.Item
                    name={[field.name, 'itemId']}
                    rules={[{ required: true, message: t('fieldErrors.required') }]}
                  >
                    <Select
                      showSearch
                      optionFilterProp="label"
                      style={{ minWidth: 220 }}
                      placeholder={t('market.item')}
                      aria-label={t('market.item')}
                      data-testid={`program-quota-item-${index}`}
                      options={(items.data ?? []).map((i: Item) => ({ value: i.id, label: `${i.name}（${i.unit}）` }))}
                    />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'quantity']}
                    rules={[{ required: true, message: t('fieldErrors.required') }]}
                  >
                    <InputNumber
                      min={1}
                      max={100000}
                      precision={0}
                      placeholder={t('market.programForm.atMost')}
                      aria-label={t('market.programForm.atMost')}
                      data-testid={`program-quota-quantity-${index}`}
                    />
                  </Form.Item>
                  <Button
                    type="text"
                    icon={<MinusCircleOutlined />}
                    aria-label={t('market.programForm.removeQuota')}
                    onClick={() => remove(field.name)}
                  />
                </Flex>
              ))}
              <Button
                icon={<PlusOutlined />}
                onClick={() => add({})}
                style={{ marginBottom: 16 }}
                data-testid="program-add-quota"
              >
                {t('market.programForm.addQuota')}
              </Button>
            </>
          )}
        </Form.List>
        <div>
          <Button type="primary" htmlType="submit" loading={create.isPending} data-testid="program-submit">
            {t('market.create')}
          </Button>
        </div>
      </Form>
    </Card>
  );
}
