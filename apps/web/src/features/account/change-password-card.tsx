import { App, Button, Card, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth-context.js';
import { FormAlert } from '../../components/form-alert.js';
import { PasswordPolicy } from '../../components/password-policy.js';
import { confirmRule, passwordRules } from '../../lib/password-rules.js';
import { useServerErrors } from '../../lib/use-server-errors.js';
import { useChangePassword } from './account-api.js';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

export function ChangePasswordCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { user } = useAuth();
  const [form] = Form.useForm<Values>();
  const errors = useServerErrors(form);
  const change = useChangePassword();

  const onFinish = async (values: Values) => {
    errors.clear();
    try {
      await change.mutateAsync({ currentPassword: values.currentPassword, newPassword: values.newPassword });
      form.resetFields();
      message.success(t('password.changed'));
    } catch (error) {
      errors.handle(error);
    }
  };

  return (
    <Card title={t('password.changeTitle')}>
      <PasswordPolicy />
      <FormAlert message={errors.alert} />
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={(values) => void onFinish(values)}
        style={{ maxWidth: 420 }}
      >
        {/* The hidden username lets password managers file the new password under the right account. */}
        <input type="text" name="username" autoComplete="username" value={user?.username ?? ''} readOnly hidden />
        <Form.Item
          name="currentPassword"
          label={t('password.current')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Input.Password autoComplete="current-password" data-testid="password-current" />
        </Form.Item>
        <Form.Item name="newPassword" label={t('password.new')} rules={passwordRules(t, () => user?.username)}>
          <Input.Password autoComplete="new-password" data-testid="password-new" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('password.confirm')}
          dependencies={['newPassword']}
          rules={[{ required: true, message: t('common.required') }, confirmRule(t, 'newPassword')]}
        >
          <Input.Password autoComplete="new-password" data-testid="password-confirm" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={change.isPending} data-testid="password-form-submit">
          {t('password.submit')}
        </Button>
      </Form>
    </Card>
  );
}
