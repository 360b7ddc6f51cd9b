import { SafetyOutlined } from '@ant-design/icons';
import { confirmTotpBody, totpCode } from '@qiao/contracts';
import { Alert, App, Button, Card, Flex, Form, Input, QRCode, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth-context.js';
import { FormAlert } from '../../components/form-alert.js';
import { errorMessage } from '../../lib/errors.js';
import { schemaRule } from '../../lib/rules.js';
import { useServerErrors } from '../../lib/use-server-errors.js';
import { useConfirmTotp, useDisableTotp, useEnrollTotp } from './account-api.js';

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone(): void }) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={12} data-testid="recovery-codes">
      <Alert type="warning" showIcon title={t('totp.recoveryTitle')} description={t('totp.recoveryWarning')} />
      <pre style={{ fontSize: '1.1em', background: '#f5f5f5', padding: 12, borderRadius: 6, columns: 2, margin: 0 }}>
        {codes.join('\n')}
      </pre>
      <Typography.Paragraph
        copyable={{ text: codes.join('\n'), tooltips: [t('totp.copy'), t('totp.copied')] }}
        style={{ margin: 0 }}
      >
        {t('totp.copyAll')}
      </Typography.Paragraph>
      <div>
        <Button type="primary" onClick={onDone} data-testid="recovery-codes-done">
          {t('totp.recoveryDone')}
        </Button>
      </div>
    </Flex>
  );
}

function Enrolment({
  secret,
  otpauthUri,
  onConfirmed,
}: {
  secret: string;
  otpauthUri: string;
  onConfirmed(codes: string[]): void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ code: string }>();
  const errors = useServerErrors(form, { invalid_totp: 'code' });
  const confirm = useConfirmTotp();
  const onFinish = async ({ code }: { code: string }) => {
    errors.clear();
    try {
      onConfirmed((await confirm.mutateAsync(code.trim())).recoveryCodes);
    } catch (error) {
      errors.handle(error);
    }
  };
  return (
    <Flex gap={24} wrap align="flex-start">
      <QRCode value={otpauthUri} size={184} bordered aria-label={t('totp.qrLabel')} />
      <Flex vertical gap={8} style={{ flex: '1 1 280px' }}>
        <Typography.Paragraph style={{ margin: 0 }}>{t('totp.scan')}</Typography.Paragraph>
        <Typography.Text>{t('totp.manual')}</Typography.Text>
        <Typography.Text code copyable data-testid="totp-secret" style={{ wordBreak: 'break-all' }}>
          {secret}
        </Typography.Text>
        <FormAlert message={errors.alert} />
        <Form form={form} layout="vertical" onFinish={(values) => void onFinish(values)}>
          <Form.Item
            name="code"
            label={t('totp.code')}
            rules={[
              { required: true, message: t('common.required') },
              schemaRule(confirmTotpBody.shape.code, t('totp.codeFormat')),
            ]}
          >
            <Input
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              style={{ maxWidth: 200 }}
              data-testid="totp-code"
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={confirm.isPending} data-testid="totp-confirm-submit">
            {t('totp.confirm')}
          </Button>
        </Form>
      </Flex>
    </Flex>
  );
}

function DisableForm() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ password: string; code: string }>();
  const errors = useServerErrors(form);
  const disable = useDisableTotp();
  const onFinish = async (values: { password: string; code: string }) => {
    errors.clear();
    try {
      await disable.mutateAsync({ password: values.password, code: values.code.trim() });
      message.success(t('totp.disabled'));
    } catch (error) {
      errors.handle(error);
    }
  };
  return (
    <>
      <FormAlert message={errors.alert} />
      <Form form={form} layout="vertical" onFinish={(values) => void onFinish(values)} style={{ maxWidth: 420 }}>
        <Form.Item
          name="password"
          label={t('password.current')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Input.Password autoComplete="current-password" data-testid="totp-disable-password" />
        </Form.Item>
        <Form.Item
          name="code"
          label={t('totp.codeOrRecovery')}
          rules={[{ required: true, message: t('common.required') }, schemaRule(totpCode, t('login.totpFormat'))]}
        >
          <Input autoComplete="one-time-code" maxLength={9} data-testid="totp-disable-code" />
        </Form.Item>
        <Button danger htmlType="submit" loading={disable.isPending} data-testid="totp-disable-submit">
          {t('totp.disable')}
        </Button>
      </Form>
    </>
  );
}

/** Two-factor sign-in: enrol (scan, confirm, keep the recovery codes) or turn it off again. */
export function TwoFactorCard() {
  const { t } = useTranslation();
  const { user, session } = useAuth();
  const { message } = App.useApp();
  const enroll = useEnrollTotp();
  const [recoveryCodes, setRecoveryCodes] = useState<string[]>();

  const status = user?.totpEnabled ? <Tag color="green">{t('common.on')}</Tag> : <Tag>{t('common.off')}</Tag>;
  const onConfirmed = (codes: string[]) => {
    setRecoveryCodes(codes);
    enroll.reset();
    message.success(t('totp.enabled'));
  };

  let body;
  if (recoveryCodes) body = <RecoveryCodes codes={recoveryCodes} onDone={() => setRecoveryCodes(undefined)} />;
  else if (user?.totpEnabled)
    body = (
      <>
        <Typography.Paragraph>{t('totp.onText')}</Typography.Paragraph>
        {session?.mfaRequired ? (
          <Typography.Paragraph type="secondary">{t('totp.requiredByRole')}</Typography.Paragraph>
        ) : (
          <DisableForm />
        )}
      </>
    );
  else if (enroll.data)
    body = <Enrolment secret={enroll.data.secret} otpauthUri={enroll.data.otpauthUri} onConfirmed={onConfirmed} />;
  else
    body = (
      <Space orientation="vertical">
        <Typography.Paragraph style={{ margin: 0 }}>{t('totp.offText')}</Typography.Paragraph>
        {enroll.error ? <FormAlert message={errorMessage(t, enroll.error)} /> : null}
        <Button
          type="primary"
          icon={<SafetyOutlined />}
          onClick={() => enroll.mutate()}
          loading={enroll.isPending}
          data-testid="totp-enroll"
        >
          {t('totp.enroll')}
        </Button>
      </Space>
    );

  return (
    <Card
      title={
        <Space>
          {t('totp.title')}
          {status}
        </Space>
      }
      data-testid="totp-card"
    >
      {body}
    </Card>
  );
}
