import { LockOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { totpCode } from '@qiao/contracts';
import { Alert, Button, Card, Flex, Form, Input, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import type { Location } from 'react-router';
import { useAuth } from '../../app/auth-context.js';
import type { LoginInput } from '../../app/auth-context.js';
import { ElderlyToggle } from '../../components/elderly-toggle.js';
import { LanguageSwitch } from '../../components/language-switch.js';
import { isApiError } from '../../lib/api.js';
import { errorMessage } from '../../lib/errors.js';
import { schemaRule } from '../../lib/rules.js';

interface FormValues {
  username: string;
  password: string;
  totp?: string;
}

/** Where the guard sent the person from; the login page itself is never a destination. */
function destination(state: unknown): string {
  const from = (state as { from?: Location } | null)?.from;
  return from && from.pathname !== '/login' ? `${from.pathname}${from.search}` : '/';
}

export function LoginPage() {
  const { t } = useTranslation();
  const { session, login } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [form] = Form.useForm<FormValues>();
  const [needsTotp, setNeedsTotp] = useState(false);
  const [alert, setAlert] = useState<string>();
  const [submitting, setSubmitting] = useState(false);

  useEffect(() => {
    document.title = `${t('login.title')} · 桥 Qiao`;
  }, [t]);

  if (session) return <Navigate to={destination(location.state)} replace />;

  const onFinish = async (values: FormValues) => {
    setSubmitting(true);
    setAlert(undefined);
    const input: LoginInput = { username: values.username.trim(), password: values.password };
    if (needsTotp && values.totp) input.totp = values.totp.trim();
    try {
      await login(input);
      await navigate(destination(location.state), { replace: true });
    } catch (error) {
      if (isApiError(error, 'totp_required')) {
        setNeedsTotp(true);
      } else if (isApiError(error, 'invalid_totp')) {
        form.setFields([{ name: 'totp', errors: [t('errors.invalid_totp')] }]);
      } else {
        setAlert(errorMessage(t, error));
      }
    } finally {
      setSubmitting(false);
    }
  };

  const startOver = () => {
    setNeedsTotp(false);
    setAlert(undefined);
    form.resetFields(['password', 'totp']);
  };

  return (
    <Flex
      vertical
      align="center"
      justify="center"
      style={{ minHeight: '100vh', padding: 24, background: 'linear-gradient(160deg, #e6f0ff 0%, #f5f7fa 60%)' }}
    >
      <Flex gap={16} align="center" wrap style={{ position: 'absolute', top: 16, right: 24 }}>
        <LanguageSwitch />
        <ElderlyToggle />
      </Flex>
      <main style={{ width: '100%', maxWidth: 420 }}>
        <Card>
          <Typography.Title level={1} style={{ marginBottom: 4, textAlign: 'center' }}>
            桥 <span style={{ fontWeight: 400 }}>Qiao</span>
          </Typography.Title>
          <Typography.Paragraph type="secondary" style={{ textAlign: 'center', marginBottom: 24 }}>
            {t('app.subtitle')}
          </Typography.Paragraph>
          {alert && (
            <Alert
              type="error"
              showIcon
              title={alert}
              role="alert"
              style={{ marginBottom: 16 }}
              data-testid="login-error"
            />
          )}
          <Form<FormValues>
            form={form}
            layout="vertical"
            onFinish={(values) => void onFinish(values)}
            requiredMark={false}
          >
            <Form.Item
              name="username"
              label={t('login.username')}
              rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}
              hidden={needsTotp}
            >
              <Input prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="login-username" />
            </Form.Item>
            <Form.Item
              name="password"
              label={t('login.password')}
              rules={[{ required: true, message: t('login.passwordRequired') }]}
              hidden={needsTotp}
            >
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
            </Form.Item>
            {needsTotp && (
              <>
                <Alert type="info" showIcon title={t('login.totpPrompt')} style={{ marginBottom: 16 }} />
                <Form.Item
                  name="totp"
                  label={t('login.totp')}
                  extra={t('login.totpHint')}
                  rules={[
                    { required: true, whitespace: true, message: t('login.totpRequired') },
                    schemaRule(totpCode, t('login.totpFormat')),
                  ]}
                >
                  <Input
                    prefix={<SafetyOutlined />}
                    autoComplete="one-time-code"
                    inputMode="text"
                    autoFocus
                    maxLength={9}
                    data-testid="login-totp"
                  />
                </Form.Item>
              </>
            )}
            <Button type="primary" htmlType="submit" block size="large" loading={submitting} data-testid="login-submit">
              {needsTotp ? t('login.verify') : t('login.submit')}
            </Button>
            {needsTotp && (
              <Button type="link" block onClick={startOver} style={{ marginTop: 8 }}>
                {t('login.startOver')}
              </Button>
            )}
          </Form>
        </Card>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center', marginTop: 16 }}>
          {t('login.footer')}
        </Typography.Paragraph>
        <Typography.Paragraph style={{ textAlign: 'center' }}>
          <Link to="/directory" data-testid="login-directory-link">
            {t('login.directoryLink')}
          </Link>
          <span aria-hidden="true"> · </span>
          <Link to="/apply" data-testid="login-apply-link">
            {t('login.applyLink')}
          </Link>
        </Typography.Paragraph>
      </main>
    </Flex>
  );
}
