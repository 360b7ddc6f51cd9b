import type { NotificationContactsBody } from '@qiao/contracts';
import { Alert, App, Button, Card, Form, Input, Switch } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { FormAlert } from '../../components/form-alert.js';
import { useServerErrors } from '../../lib/use-server-errors.js';
import { useContacts, useUpdateContacts } from './notifications-api.js';

interface Values {
  email?: string;
  phone?: string;
  emailEnabled: boolean;
  smsEnabled: boolean;
}

/** Where my notifications go besides the inbox: email (when the city set up SMTP) and SMS. */
export function ContactsCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const contacts = useContacts();
  const update = useUpdateContacts();
  const errors = useServerErrors(form);

  useEffect(() => {
    if (contacts.data)
      form.setFieldsValue({
        email: contacts.data.email ?? undefined,
        phone: contacts.data.phone ?? undefined,
        emailEnabled: contacts.data.emailEnabled,
        smsEnabled: contacts.data.smsEnabled,
      });
  }, [contacts.data, form]);

  const submit = async (v: Values) => {
    errors.clear();
    const body: NotificationContactsBody = {
      email: v.email?.trim() || null,
      phone: v.phone?.trim() || null,
      emailEnabled: v.emailEnabled,
      smsEnabled: v.smsEnabled,
    };
    try {
      await update.mutateAsync(body);
      void message.success(t('common.saved'));
    } catch (error) {
      errors.handle(error);
    }
  };

  const emailAvailable = contacts.data?.emailAvailable ?? false;
  return (
    <Card title={t('notifications.channels')} style={{ marginTop: 16, maxWidth: 640 }} loading={contacts.isPending}>
      {!emailAvailable && (
        <Alert type="info" showIcon title={t('notifications.emailUnavailable')} style={{ marginBottom: 16 }} />
      )}
      <FormAlert message={errors.alert} />
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ emailEnabled: false, smsEnabled: false }}
        onFinish={(v) => void submit(v)}
      >
        <Form.Item name="email" label={t('notifications.email')}>
          <Input type="email" autoComplete="email" data-testid="contacts-email" />
        </Form.Item>
        <Form.Item name="emailEnabled" label={t('notifications.emailEnabled')} valuePropName="checked">
          <Switch disabled={!emailAvailable} />
        </Form.Item>
        <Form.Item name="phone" label={t('notifications.phone')} extra={t('notifications.smsHint')}>
          <Input autoComplete="tel" inputMode="tel" data-testid="contacts-phone" />
        </Form.Item>
        <Form.Item name="smsEnabled" label={t('notifications.smsEnabled')} valuePropName="checked">
          <Switch data-testid="contacts-sms" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={update.isPending} data-testid="contacts-save">
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}
