import { LoginOutlined } from '@ant-design/icons';
import { isApiError } from '../../lib/api.js';
import { errorMessage } from '../../lib/errors.js';
import type { Application } from '@qiao/contracts';
import { Button, Card, Col, Divider, Flex, Form, Input, Result, Row, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ElderlyToggle } from '../../components/elderly-toggle.js';
import { FormAlert } from '../../components/form-alert.js';
import { LanguageSwitch } from '../../components/language-switch.js';
import { PasswordPolicy } from '../../components/password-policy.js';
import { passwordRules } from '../../lib/password-rules.js';
import { useServerErrors } from '../../lib/use-server-errors.js';
import { ApplicationFields, toApplicationParts } from './application-fields.js';
import type { ApplicationFormValues } from './application-fields.js';
import { useSubmitApplication } from './applications-api.js';

interface ApplyValues extends ApplicationFormValues {
  account: { username: string; displayName: string; password: string; confirm: string };
}

/** The page frame outside the app: no login, no menu (like the public directory). */
export function PublicFrame({ title, children }: { title: string; children: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <div style={{ minHeight: '100vh', background: '#f5f7fa' }}>
      <header style={{ background: '#fff', borderBottom: '1px solid #f0f0f0', padding: '12px 24px' }}>
        <Flex justify="space-between" align="center" wrap gap={12}>
          <Link to="/directory" aria-label={t('directory.title')}>
            <Typography.Title level={4} style={{ margin: 0, whiteSpace: 'nowrap' }}>
              桥 <span style={{ fontWeight: 400 }}>Qiao</span>
              <Typography.Text type="secondary" style={{ marginInlineStart: 12, fontWeight: 400 }}>
                {title}
              </Typography.Text>
            </Typography.Title>
          </Link>
          <Flex gap={12} align="center" wrap>
            <LanguageSwitch />
            <ElderlyToggle />
            <Link to="/login">
              <Button icon={<LoginOutlined />} data-testid="apply-login">
                {t('login.submit')}
              </Button>
            </Link>
          </Flex>
        </Flex>
      </header>
      <main id="main" style={{ maxWidth: 960, margin: '0 auto', padding: 24 }}>
        {children}
      </main>
    </div>
  );
}

/**
 * The public application form: an organization applies to be filed or registered with its
 * subdistrict's center, and the applicant gets an account to follow the application.
 */
export function ApplyPage() {
  const { t } = useTranslation();
  const [search] = useSearchParams();
  const [form] = Form.useForm<ApplyValues>();
  const submit = useSubmitApplication();
  const errors = useServerErrors(form);
  const [submitted, setSubmitted] = useState<{ application: Application; username: string }>();

  useEffect(() => {
    document.title = `${t('applications.applyTitle')} · 桥 Qiao`;
  }, [t]);

  const preset = search.get('jurisdiction');
  const initialValues: Partial<ApplyValues> = {
    organization: {
      kind: 'community_org',
      name: '',
      jurisdictionId: preset && /^[1-9][0-9]{0,8}$/.test(preset) ? Number(preset) : undefined,
    },
  };

  const onFinish = async (values: ApplyValues) => {
    errors.clear();
    const { organization, personInCharge } = toApplicationParts(values);
    const account = {
      username: values.account.username.trim(),
      displayName: values.account.displayName.trim(),
      password: values.account.password,
    };
    try {
      const application = await submit.mutateAsync({
        organization: { ...organization, jurisdictionId: Number(values.organization.jurisdictionId) },
        personInCharge,
        account,
      });
      setSubmitted({ application, username: account.username });
      window.scrollTo({ top: 0 });
    } catch (error) {
      // Problems about one field go under it; the form's nested names need their paths.
      const field: ['account', 'username'] | ['organization', 'uscc'] | undefined = isApiError(
        error,
        'duplicate_username',
      )
        ? ['account', 'username']
        : isApiError(error, 'duplicate_uscc')
          ? ['organization', 'uscc']
          : undefined;
      if (field) form.setFields([{ name: field, errors: [errorMessage(t, error)] }]);
      else errors.handle(error);
      const refused = form.getFieldsError().find((f) => f.errors.length > 0);
      if (refused) form.scrollToField(refused.name, { block: 'center' });
    }
  };

  if (submitted) {
    return (
      <PublicFrame title={t('applications.applyTitle')}>
        <Card>
          <Result
            status="success"
            title={t('applications.submittedTitle', { name: submitted.application.organization.name })}
            subTitle={t('applications.submittedText', { username: submitted.username })}
            extra={
              <Link to="/login">
                <Button type="primary" size="large" icon={<LoginOutlined />} data-testid="apply-success-login">
                  {t('applications.signInToFollow')}
                </Button>
              </Link>
            }
            data-testid="apply-success"
          />
        </Card>
      </PublicFrame>
    );
  }

  return (
    <PublicFrame title={t('applications.applyTitle')}>
      <Typography.Title level={2} style={{ marginTop: 8 }}>
        {t('applications.applyTitle')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('applications.applyIntro')}</Typography.Paragraph>
      <Card>
        <FormAlert message={errors.alert} />
        <Form<ApplyValues>
          form={form}
          layout="vertical"
          initialValues={initialValues}
          onFinish={(values) => void onFinish(values)}
          scrollToFirstError
        >
          <ApplicationFields form={form} withJurisdiction testIdPrefix="apply" />
          <Divider titlePlacement="start">{t('applications.sectionAccount')}</Divider>
          <Typography.Paragraph type="secondary">{t('applications.accountHint')}</Typography.Paragraph>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item
                name={['account', 'username']}
                label={t('users.username')}
                rules={[
                  { required: true, whitespace: true, message: t('common.required') },
                  { max: 64 },
                  { pattern: /^[\p{L}\p{N}._@-]+$/u, message: t('users.usernameInvalid') },
                ]}
              >
                <Input maxLength={64} autoComplete="username" data-testid="apply-username" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name={['account', 'displayName']}
                label={t('users.displayName')}
                rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 64 }]}
              >
                <Input maxLength={64} data-testid="apply-display-name" />
              </Form.Item>
            </Col>
            <Col xs={24}>
              <PasswordPolicy />
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name={['account', 'password']}
                label={t('login.password')}
                rules={passwordRules(t, () => form.getFieldValue(['account', 'username']) as string | undefined)}
              >
                <Input.Password autoComplete="new-password" data-testid="apply-password" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name={['account', 'confirm']}
                label={t('applications.confirmPassword')}
                dependencies={[['account', 'password']]}
                rules={[
                  { required: true, message: t('common.required') },
                  ({ getFieldValue }) => ({
                    validator: async (_rule, value: unknown) => {
                      if (value && value !== getFieldValue(['account', 'password']))
                        throw new Error(t('password.mismatch'));
                    },
                  }),
                ]}
              >
                <Input.Password autoComplete="new-password" data-testid="apply-password-confirm" />
              </Form.Item>
            </Col>
          </Row>
          <Flex justify="flex-end">
            <Button type="primary" size="large" htmlType="submit" loading={submit.isPending} data-testid="apply-submit">
              {t('applications.submit')}
            </Button>
          </Flex>
        </Form>
      </Card>
    </PublicFrame>
  );
}
