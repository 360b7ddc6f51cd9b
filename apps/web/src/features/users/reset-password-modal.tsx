import type { User } from '@qiao/contracts';
import { Alert, App, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { FormModal } from '../../components/form-modal.js';
import { PasswordPolicy } from '../../components/password-policy.js';
import { confirmRule, passwordRules } from '../../lib/password-rules.js';
import { useResetPassword } from './users-api.js';

interface Values {
  password: string;
  confirm: string;
}

export function ResetPasswordModal({ user, onClose }: { user: User | undefined; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const reset = useResetPassword();
  return (
    <FormModal<Values>
      open={user !== undefined}
      title={t('users.resetTitle', { name: user?.username ?? '' })}
      form={form}
      onClose={onClose}
      submit={async (values) => {
        if (!user) return;
        await reset.mutateAsync({ id: user.id, password: values.password });
        message.success(t('users.resetDone'));
      }}
      submitTestId="reset-password-submit"
    >
      <Alert type="warning" showIcon title={t('users.resetWarning')} style={{ marginBottom: 16 }} />
      <PasswordPolicy />
      <Form.Item name="password" label={t('password.new')} rules={passwordRules(t, () => user?.username)}>
        <Input.Password autoComplete="new-password" data-testid="reset-password-new" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('password.confirm')}
        dependencies={['password']}
        rules={[{ required: true, message: t('common.required') }, confirmRule(t, 'password')]}
      >
        <Input.Password autoComplete="new-password" data-testid="reset-password-confirm" />
      </Form.Item>
    </FormModal>
  );
}
