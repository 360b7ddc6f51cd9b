import { Alert, App, Button, Descriptions, Form, Input, Popconfirm, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Organization, OrganizationChangeRequest } from '@qiao/contracts';
import { KindTag } from '../../components/organization-tags.js';
import { FormModal } from '../../components/form-modal.js';
import { errorMessage } from '../../lib/errors.js';
import { formatInstant } from '../../lib/format.js';
import { useApproveChangeRequest, useChangeRequest, useRejectChangeRequest } from './organizations-api.js';

/** The requested values beside the current ones; the person in charge's ID number and phone stay masked. */
function RequestedValues({
  request,
  organization,
}: {
  request: OrganizationChangeRequest;
  organization: Organization;
}) {
  const { t } = useTranslation();
  const c = request.changes;
  const pic = c.personInCharge;
  const items = [
    ...(c.name !== undefined
      ? [{ key: 'name', label: t('organizations.name'), children: `${organization.name} → ${c.name}` }]
      : []),
    ...(c.kind !== undefined
      ? [
          {
            key: 'kind',
            label: t('organizations.kind'),
            children: (
              <Space>
                <KindTag kind={organization.kind} />→<KindTag kind={c.kind} />
              </Space>
            ),
          },
        ]
      : []),
    ...(c.uscc !== undefined
      ? [{ key: 'uscc', label: t('organizations.uscc'), children: `${organization.uscc ?? '—'} → ${c.uscc}` }]
      : []),
    ...(pic !== undefined
      ? [
          {
            key: 'pic',
            label: t('organizations.personInCharge'),
            children:
              pic === null
                ? t('changeRequests.personRemoved')
                : [pic.name, pic.idNumber, pic.phone].filter((v) => v !== undefined && v !== null).join(' · '),
          },
        ]
      : []),
  ];
  return <Descriptions size="small" column={1} items={items} data-testid="change-request-values" />;
}

function RejectModal({ requestId, open, onClose }: { requestId: number; open: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const reject = useRejectChangeRequest();
  return (
    <FormModal<{ reason: string }>
      open={open}
      title={t('changeRequests.rejectTitle')}
      form={form}
      onClose={onClose}
      submit={async (values) => {
        await reject.mutateAsync({ requestId, reason: values.reason.trim() });
      }}
      submitTestId="change-request-reject-submit"
      submitText={t('changeRequests.reject')}
    >
      <Form.Item
        name="reason"
        label={t('changeRequests.reason')}
        rules={[{ required: true, whitespace: true, message: t('changeRequests.reasonRequired') }, { max: 500 }]}
      >
        <Input.TextArea rows={3} maxLength={500} data-testid="change-request-reason" />
      </Form.Item>
    </FormModal>
  );
}

/**
 * On the organization page: the key-field change its officer asked for. Staff who manage the
 * registry approve it (applied as their own edit) or reject it with a reason the officer reads here.
 */
export function ChangeRequestCard({ organization, canDecide }: { organization: Organization; canDecide: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const query = useChangeRequest(organization.id);
  const approve = useApproveChangeRequest();
  const [rejecting, setRejecting] = useState(false);
  const request = query.data;
  if (!request || request.status === 'approved') return null;
  if (request.status === 'rejected') {
    return (
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 16 }}
        data-testid="change-request-rejected"
        title={t('changeRequests.rejected', { date: formatInstant(request.decidedAt) })}
        description={
          <>
            <RequestedValues request={request} organization={organization} />
            {t('changeRequests.rejectedReason', { reason: request.reason ?? '' })}
          </>
        }
      />
    );
  }
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="change-request-pending"
      title={t('changeRequests.pending', {
        name: request.requestedByName ?? '—',
        date: formatInstant(request.requestedAt),
      })}
      description={<RequestedValues request={request} organization={organization} />}
      action={
        canDecide && (
          <Space direction="vertical">
            <Popconfirm
              title={t('changeRequests.approveConfirm')}
              onConfirm={async () => {
                await approve.mutateAsync(request.id).then(
                  () => message.success(t('changeRequests.approved')),
                  (e: unknown) => message.error(errorMessage(t, e)),
                );
              }}
            >
              <Button type="primary" size="small" loading={approve.isPending} data-testid="change-request-approve">
                {t('changeRequests.approve')}
              </Button>
            </Popconfirm>
            <Button size="small" danger onClick={() => setRejecting(true)} data-testid="change-request-reject">
              {t('changeRequests.reject')}
            </Button>
            <RejectModal requestId={request.id} open={rejecting} onClose={() => setRejecting(false)} />
          </Space>
        )
      }
    />
  );
}
