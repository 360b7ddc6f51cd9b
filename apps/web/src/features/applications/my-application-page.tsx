import { EditOutlined } from '@ant-design/icons';
import type { Application } from '@qiao/contracts';
import { Alert, App, Button, Card, Descriptions, Form, Result, Steps, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAuth } from '../../app/auth-context.js';
import { FormModal } from '../../components/form-modal.js';
import { KindTag } from '../../components/organization-tags.js';
import { PageTitle } from '../../components/page-title.js';
import { PageSpinner, QueryError } from '../../components/query-state.js';
import { isApiError } from '../../lib/api.js';
import { formatInstant } from '../../lib/format.js';
import { ApplicationFields, fromApplication, toAmendBody } from './application-fields.js';
import type { ApplicationFormValues } from './application-fields.js';
import { ApplicationStatusTag } from './application-status.js';
import { amendable, useAmendMyApplication, useMyApplication } from './applications-api.js';
import { DocumentsCard } from './documents-card.js';

function currentStep(status: Application['status']): number {
  if (status === 'submitted' || status === 'returned') return 0;
  if (status === 'under_review') return 1;
  return 2;
}

function AmendModal({ application, open, onClose }: { application: Application; open: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<ApplicationFormValues>();
  const amend = useAmendMyApplication();
  return (
    <FormModal<ApplicationFormValues>
      open={open}
      title={t('applications.amendTitle')}
      form={form}
      width={820}
      initialValues={fromApplication(application)}
      onClose={onClose}
      submit={async (values) => {
        const saved = await amend.mutateAsync(toAmendBody(values));
        message.success(application.status === 'returned' ? t('applications.resubmitted') : t('applications.amended'));
        return saved;
      }}
      submitTestId="my-app-amend-submit"
      submitText={application.status === 'returned' ? t('applications.resubmit') : t('common.save')}
    >
      <ApplicationFields
        form={form}
        withJurisdiction={false}
        testIdPrefix="my-app-amend"
        personOptional
        keptFields={application.organization.fields}
      />
    </FormModal>
  );
}

/** The applicant's one page: where the application stands, why, and what they can still do. */
export function MyApplicationPage() {
  const { t } = useTranslation();
  const query = useMyApplication();
  const { applicantOnly, refresh } = useAuth();
  const [amending, setAmending] = useState(false);
  const approved = query.data?.status === 'approved';

  // Once approved, the account holds its role's permissions: a fresh session answer opens the menu.
  useEffect(() => {
    if (approved && applicantOnly) void refresh();
  }, [approved, applicantOnly, refresh]);

  if (isApiError(query.error, 'not_found')) {
    return <Result status="404" title={t('applications.noneTitle')} subTitle={t('applications.noneText')} />;
  }
  if (query.error) return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  if (query.isPending) return <PageSpinner />;

  const app = query.data;
  const org = app.organization;
  const canAmend = amendable(app.status);
  const failed = app.status === 'returned' || app.status === 'rejected';

  return (
    <>
      <PageTitle
        title={t('applications.mineTitle')}
        extra={
          canAmend && (
            <Button
              type={app.status === 'returned' ? 'primary' : 'default'}
              icon={<EditOutlined />}
              onClick={() => setAmending(true)}
              data-testid="my-app-amend"
            >
              {app.status === 'returned' ? t('applications.amendAndResubmit') : t('applications.amend')}
            </Button>
          )
        }
      />
      <Card style={{ marginBottom: 16 }}>
        <Steps
          current={currentStep(app.status)}
          status={app.status === 'rejected' ? 'error' : app.status === 'approved' ? 'finish' : 'process'}
          items={[
            { title: t('applications.stepSubmitted') },
            { title: t('applications.stepReview') },
            { title: t('applications.stepDecision') },
          ]}
          style={{ marginBottom: 16 }}
        />
        <Typography.Paragraph data-testid="my-app-status">
          {t('applications.status')}: <ApplicationStatusTag status={app.status} />{' '}
          {t(`applications.statusExplain.${app.status}`)}
        </Typography.Paragraph>
        {failed && app.decisionReason && (
          <Alert
            type={app.status === 'rejected' ? 'error' : 'warning'}
            showIcon
            title={app.status === 'rejected' ? t('applications.rejectedReason') : t('applications.returnedReason')}
            description={app.decisionReason}
            data-testid="my-app-reason"
          />
        )}
        {app.status === 'approved' && (
          <Alert
            type="success"
            showIcon
            title={t('applications.approvedText')}
            action={<Link to="/">{t('common.backHome')}</Link>}
          />
        )}
      </Card>
      <Card title={t('applications.sectionOrganization')} size="small" style={{ marginBottom: 16 }}>
        <Descriptions
          column={{ xs: 1, md: 2 }}
          data-testid="my-app-details"
          items={[
            { key: 'name', label: t('organizations.name'), children: org.name },
            { key: 'kind', label: t('organizations.kind'), children: <KindTag kind={org.kind} /> },
            ...(org.uscc ? [{ key: 'uscc', label: t('organizations.uscc'), children: org.uscc }] : []),
            { key: 'address', label: t('organizations.address'), children: org.address ?? '—' },
            {
              key: 'pic',
              label: t('organizations.personInCharge'),
              children: org.personInCharge
                ? [org.personInCharge.name, org.personInCharge.phone].filter(Boolean).join(' · ')
                : '—',
            },
            { key: 'submitted', label: t('applications.submittedAt'), children: formatInstant(app.submittedAt) },
            ...(app.decidedAt
              ? [{ key: 'decided', label: t('applications.decidedAt'), children: formatInstant(app.decidedAt) }]
              : []),
          ]}
        />
      </Card>
      <DocumentsCard organizationId={org.id} canUpload={app.status !== 'approved' && app.status !== 'rejected'} />
      {canAmend && <AmendModal application={app} open={amending} onClose={() => setAmending(false)} />}
    </>
  );
}
