import type { Organization, OrganizationStatus } from '@qiao/contracts';
import { App, DatePicker, Form, Input, Select, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { FormModal } from '../../components/form-modal.js';
import { StatusTag } from '../../components/organization-tags.js';
import { useChangeStatus } from './organizations-api.js';

interface Values {
  status: OrganizationStatus;
  reason: string;
  effectiveOn?: Dayjs | null;
}

interface Props {
  organization: Organization;
  /** The moves this person may make from the current status (never empty when open). */
  targets: readonly OrganizationStatus[];
  open: boolean;
  onClose(): void;
}

/** Moves an organization to one of the statuses its current one allows, always with a reason. */
export function StatusChangeModal({ organization, targets, open, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const change = useChangeStatus(organization.id);

  return (
    <FormModal<Values>
      open={open}
      title={t('organizations.changeStatusTitle', { name: organization.name })}
      form={form}
      initialValues={{ status: targets.length === 1 ? targets[0] : undefined }}
      onClose={onClose}
      submit={async (values) => {
        const body = { status: values.status, reason: values.reason.trim() };
        const effectiveOn = values.effectiveOn?.format('YYYY-MM-DD');
        await change.mutateAsync(effectiveOn ? { ...body, effectiveOn } : body);
        message.success(t('organizations.statusChanged', { status: t(`orgStatuses.${values.status}`) }));
      }}
      submitTestId="org-status-submit"
      submitText={t('common.confirm')}
    >
      <Typography.Paragraph>
        {t('organizations.currentStatus')} <StatusTag status={organization.status} />
      </Typography.Paragraph>
      <Form.Item
        name="status"
        label={t('organizations.newStatus')}
        rules={[{ required: true, message: t('common.required') }]}
      >
        <Select
          popupMatchSelectWidth={false}
          data-testid="org-status-target"
          options={targets.map((status) => ({
            value: status,
            label: t('organizations.transitionOption', {
              action: t(`orgTransitions.${organization.status}.${status}`),
              status: t(`orgStatuses.${status}`),
            }),
          }))}
        />
      </Form.Item>
      <Form.Item
        name="reason"
        label={t('organizations.reason')}
        extra={t('organizations.reasonHint')}
        rules={[{ required: true, whitespace: true, message: t('organizations.reasonRequired') }, { max: 500 }]}
      >
        <Input.TextArea rows={3} maxLength={500} showCount data-testid="org-status-reason" />
      </Form.Item>
      <Form.Item name="effectiveOn" label={t('organizations.effectiveOn')} extra={t('organizations.effectiveOnHint')}>
        <DatePicker format="YYYY-MM-DD" data-testid="org-status-effective-on" />
      </Form.Item>
    </FormModal>
  );
}
