import { Alert, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { FormModal } from '../../components/form-modal.js';
import { useReveal } from './organizations-api.js';
import type { Revealed } from './organizations-api.js';

interface Props {
  organizationId: number;
  open: boolean;
  onClose(): void;
  onRevealed(values: Revealed): void;
}

/** Asks why before showing the person in charge's ID number and phone; the server records the reason. */
export function RevealModal({ organizationId, open, onClose, onRevealed }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const reveal = useReveal(organizationId);
  return (
    <FormModal<{ reason: string }>
      open={open}
      title={t('organizations.revealTitle')}
      form={form}
      onClose={onClose}
      submit={async (values) => onRevealed(await reveal.mutateAsync(values.reason.trim()))}
      submitTestId="org-reveal-submit"
      submitText={t('organizations.reveal')}
    >
      <Alert type="warning" showIcon title={t('organizations.revealWarning')} style={{ marginBottom: 16 }} />
      <Form.Item
        name="reason"
        label={t('organizations.revealReason')}
        rules={[
          { required: true, whitespace: true, message: t('organizations.reasonRequired') },
          { min: 2, message: t('organizations.revealReasonShort') },
          { max: 500 },
        ]}
      >
        <Input.TextArea
          rows={2}
          maxLength={500}
          placeholder={t('organizations.revealReasonPlaceholder')}
          data-testid="org-reveal-reason"
        />
      </Form.Item>
    </FormModal>
  );
}
