import { CheckOutlined, CloseOutlined, EyeOutlined, RollbackOutlined } from '@ant-design/icons';
import { Alert, App, Breadcrumb, Button, Card, Descriptions, Form, Input, List, Result, Space, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useAuth } from '../../app/auth-context.js';
import { FormModal } from '../../components/form-modal.js';
import { KindTag, StatusTag } from '../../components/organization-tags.js';
import { PageTitle } from '../../components/page-title.js';
import { PageSpinner, QueryError } from '../../components/query-state.js';
import { isApiError } from '../../lib/api.js';
import { errorMessage } from '../../lib/errors.js';
import { formatInstant } from '../../lib/format.js';
import { useJurisdictionName } from '../organizations/use-jurisdiction-name.js';
import { ApplicationStatusTag } from './application-status.js';
import { reviewActions, useApplication, useReviewStep } from './applications-api.js';
import type { ApplicationWithFlags, ReviewAction } from './applications-api.js';
import { DocumentsCard } from './documents-card.js';
import { useFieldLabel } from '../../lib/service-fields.js';

type ReasonAction = 'return' | 'reject';

function BackToQueue() {
  const { t } = useTranslation();
  return <Link to="/applications">{t('applications.backToQueue')}</Link>;
}

/** Other organizations that may be this one: the reviewer should look before approving. */
function DuplicateWarning({ application }: { application: ApplicationWithFlags }) {
  const { t } = useTranslation();
  if (application.duplicates.length === 0) {
    return (
      <Alert
        type="success"
        showIcon
        title={t('applications.noDuplicates')}
        style={{ marginBottom: 16 }}
        data-testid="app-no-duplicates"
      />
    );
  }
  return (
    <Alert
      type="warning"
      showIcon
      role="alert"
      style={{ marginBottom: 16 }}
      data-testid="app-duplicates"
      title={t('applications.duplicatesTitle', { count: application.duplicates.length })}
      description={
        <List
          size="small"
          dataSource={application.duplicates}
          renderItem={(flag) => (
            <List.Item data-testid={`app-duplicate-${flag.organization.id}`}>
              <Space wrap>
                <Tag color="orange">{t(`duplicateReasons.${flag.reason}`)}</Tag>
                <Link to={`/organizations/${flag.organization.id}`} target="_blank">
                  {flag.organization.name}
                </Link>
                <StatusTag status={flag.organization.status} />
                {flag.similarity !== undefined && (
                  <span>{t('applications.similarity', { percent: Math.round(flag.similarity * 100) })}</span>
                )}
              </Space>
            </List.Item>
          )}
        />
      }
    />
  );
}

function ReasonModal({ id, action, onClose }: { id: number; action: ReasonAction | undefined; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const step = useReviewStep(id);
  return (
    <FormModal<{ reason: string }>
      open={action !== undefined}
      title={action === 'reject' ? t('applications.rejectTitle') : t('applications.returnTitle')}
      form={form}
      onClose={onClose}
      submit={async (values) => {
        await step.mutateAsync({ action: action!, reason: values.reason.trim() });
        message.success(action === 'reject' ? t('applications.rejectedDone') : t('applications.returnedDone'));
      }}
      submitTestId="app-reason-submit"
      submitText={action === 'reject' ? t('applications.reject') : t('applications.return')}
    >
      <Form.Item
        name="reason"
        label={t('applications.reason')}
        extra={t('applications.reasonHint')}
        rules={[{ required: true, whitespace: true, message: t('applications.reasonRequired') }, { max: 500 }]}
      >
        <Input.TextArea rows={4} maxLength={500} showCount data-testid="app-reason" />
      </Form.Item>
    </FormModal>
  );
}

/** One application: what was applied for, who may already be registered, the documents and the decision. */
export function ApplicationReviewPage() {
  const { t } = useTranslation();
  const fieldLabel = useFieldLabel();
  const { message, modal } = App.useApp();
  const { can } = useAuth();
  const params = useParams();
  const id = Number(params['id']);
  const query = useApplication(id);
  const step = useReviewStep(id);
  const nameOf = useJurisdictionName();
  const [asking, setAsking] = useState<ReasonAction>();

  if (!Number.isInteger(id) || id <= 0 || isApiError(query.error, 'not_found')) {
    return (
      <Result
        status="404"
        title={t('applications.notFound')}
        subTitle={t('organizations.notFoundText')}
        extra={<BackToQueue />}
      />
    );
  }
  if (query.error) return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  if (query.isPending) return <PageSpinner />;

  const app = query.data;
  const org = app.organization;
  const allowed = reviewActions[app.status];

  const run = (action: ReviewAction, done: string) =>
    step.mutate(
      { action },
      {
        onSuccess: () => message.success(done),
        onError: (error) => message.error(errorMessage(t, error)),
      },
    );

  const approve = () =>
    modal.confirm({
      title: t('applications.approveConfirm', { name: org.name }),
      content: app.duplicates.length > 0 ? t('applications.approveWithDuplicates') : undefined,
      okText: t('applications.approve'),
      okButtonProps: { 'data-testid': 'app-approve-confirm' } as never,
      onOk: () => run('approve', t('applications.approvedDone')),
    });

  const actions = allowed.length > 0 && (
    <Space wrap>
      {allowed.includes('review') && (
        <Button
          icon={<EyeOutlined />}
          loading={step.isPending && step.variables?.action === 'review'}
          onClick={() => run('review', t('applications.reviewStarted'))}
          data-testid="app-start-review"
        >
          {t('applications.startReview')}
        </Button>
      )}
      {allowed.includes('return') && (
        <Button icon={<RollbackOutlined />} onClick={() => setAsking('return')} data-testid="app-return">
          {t('applications.return')}
        </Button>
      )}
      {allowed.includes('reject') && (
        <Button danger icon={<CloseOutlined />} onClick={() => setAsking('reject')} data-testid="app-reject">
          {t('applications.reject')}
        </Button>
      )}
      {allowed.includes('approve') && (
        <Button
          type="primary"
          icon={<CheckOutlined />}
          loading={step.isPending && step.variables?.action === 'approve'}
          onClick={approve}
          data-testid="app-approve"
        >
          {t('applications.approve')}
        </Button>
      )}
    </Space>
  );

  return (
    <>
      <Breadcrumb
        style={{ marginBottom: 8 }}
        items={[{ title: <Link to="/applications">{t('applications.queueTitle')}</Link> }, { title: org.name }]}
      />
      <PageTitle title={org.name} extra={actions} />
      <DuplicateWarning application={app} />
      {app.decisionReason && (
        <Alert
          type={app.status === 'rejected' ? 'error' : 'info'}
          showIcon
          title={t('applications.decisionReason')}
          description={app.decisionReason}
          style={{ marginBottom: 16 }}
        />
      )}
      <Card size="small" style={{ marginBottom: 16 }} data-testid="app-review-details">
        <Descriptions
          column={{ xs: 1, md: 2, xl: 3 }}
          items={[
            {
              key: 'status',
              label: t('applications.status'),
              children: (
                <span data-testid="app-review-status">
                  <ApplicationStatusTag status={app.status} />
                </span>
              ),
            },
            { key: 'kind', label: t('organizations.kind'), children: <KindTag kind={org.kind} /> },
            { key: 'jurisdiction', label: t('organizations.jurisdiction'), children: nameOf(org.jurisdictionId) },
            ...(org.uscc ? [{ key: 'uscc', label: t('organizations.uscc'), children: org.uscc }] : []),
            ...(org.filingNumber
              ? [{ key: 'filing', label: t('organizations.filingNumber'), children: org.filingNumber }]
              : []),
            { key: 'founded', label: t('organizations.foundedOn'), children: org.foundedOn ?? '—' },
            { key: 'address', label: t('organizations.address'), children: org.address ?? '—' },
            {
              key: 'fields',
              label: t('organizations.fields'),
              children: org.fields.length ? org.fields.map((f) => fieldLabel(f)).join('、') : '—',
            },
            {
              key: 'pic',
              label: t('organizations.personInCharge'),
              children: org.personInCharge
                ? [org.personInCharge.name, org.personInCharge.idNumber, org.personInCharge.phone]
                    .filter(Boolean)
                    .join(' · ')
                : '—',
            },
            {
              key: 'applicant',
              label: t('applications.applicant'),
              children: `${app.applicant.displayName} (${app.applicant.username})`,
            },
            { key: 'submitted', label: t('applications.submittedAt'), children: formatInstant(app.submittedAt) },
            ...(app.decidedAt
              ? [{ key: 'decided', label: t('applications.decidedAt'), children: formatInstant(app.decidedAt) }]
              : []),
            {
              key: 'org',
              label: t('applications.registryRecord'),
              children: <Link to={`/organizations/${org.id}`}>{t('applications.openRecord')}</Link>,
            },
          ]}
        />
      </Card>
      <DocumentsCard organizationId={org.id} canUpload={can('organization:manage')} />
      <ReasonModal id={id} action={asking} onClose={() => setAsking(undefined)} />
    </>
  );
}
