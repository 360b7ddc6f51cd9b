import { phoneSchema } from '@qiao/contracts';
import type { CenterBody, Jurisdiction } from '@qiao/contracts';
import { App, Button, Card, Descriptions, Empty, Flex, Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormAlert } from '../../components/form-alert.js';
import { schemaRule } from '../../lib/rules.js';
import { useServerErrors } from '../../lib/use-server-errors.js';
import { useSaveCenter } from './jurisdictions-api.js';

interface Values {
  name: string;
  address?: string;
  phone?: string;
  openingHours?: string;
}

function toBody(values: Values): CenterBody {
  const body: CenterBody = { name: values.name.trim() };
  if (values.address?.trim()) body.address = values.address.trim();
  if (values.phone?.trim()) body.phone = values.phone.trim();
  if (values.openingHours?.trim()) body.openingHours = values.openingHours.trim();
  return body;
}

/** The service center a subdistrict hosts: read by all, edited in place by center managers. */
export function CenterCard({ jurisdiction, canManage }: { jurisdiction: Jurisdiction; canManage: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [editing, setEditing] = useState(false);
  const [form] = Form.useForm<Values>();
  const errors = useServerErrors(form);
  const save = useSaveCenter(jurisdiction.id);
  const center = jurisdiction.center;

  const onFinish = async (values: Values) => {
    errors.clear();
    try {
      await save.mutateAsync(toBody(values));
      message.success(t('common.saved'));
      setEditing(false);
    } catch (error) {
      errors.handle(error);
    }
  };

  const editButton = canManage && !editing && (
    <Button onClick={() => setEditing(true)} data-testid="center-edit">
      {center ? t('common.edit') : t('center.add')}
    </Button>
  );

  return (
    <Card title={t('center.title')} extra={editButton} data-testid="center-card">
      {editing ? (
        <>
          <FormAlert message={errors.alert} />
          <Form<Values>
            form={form}
            layout="vertical"
            preserve={false}
            initialValues={{
              name: center?.name ?? '',
              address: center?.address ?? '',
              phone: center?.phone ?? '',
              openingHours: center?.openingHours ?? '',
            }}
            onFinish={(values) => void onFinish(values)}
          >
            <Form.Item
              name="name"
              label={t('center.name')}
              rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 100 }]}
            >
              <Input maxLength={100} data-testid="center-form-name" />
            </Form.Item>
            <Form.Item name="address" label={t('center.address')} rules={[{ max: 200 }]}>
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item
              name="phone"
              label={t('center.phone')}
              rules={[schemaRule(phoneSchema, t('center.phoneInvalid'))]}
            >
              <Input inputMode="tel" data-testid="center-form-phone" />
            </Form.Item>
            <Form.Item name="openingHours" label={t('center.openingHours')} rules={[{ max: 100 }]}>
              <Input maxLength={100} placeholder={t('center.openingHoursPlaceholder')} />
            </Form.Item>
            <Flex gap={8} justify="flex-end">
              <Button onClick={() => setEditing(false)}>{t('common.cancel')}</Button>
              <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="center-form-submit">
                {t('common.save')}
              </Button>
            </Flex>
          </Form>
        </>
      ) : center ? (
        <Descriptions
          column={1}
          items={[
            { key: 'name', label: t('center.name'), children: center.name },
            { key: 'address', label: t('center.address'), children: center.address ?? '—' },
            { key: 'phone', label: t('center.phone'), children: center.phone ?? '—' },
            { key: 'hours', label: t('center.openingHours'), children: center.openingHours ?? '—' },
          ]}
        />
      ) : (
        <Empty description={t('center.none')} />
      )}
    </Card>
  );
}
