import { normalizeUscc, registeredKinds } from '@qiao/contracts';
import type { Organization, OrganizationKind, UpdateOrganizationBody } from '@qiao/contracts';
import { Alert, App, DatePicker, Form, Input, Radio } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { FormModal } from '../../components/form-modal.js';
import { usccRules } from './organization-form-modal.js';
import { useUpdateOrganization } from './organizations-api.js';

interface Values {
  kind: OrganizationKind;
  uscc: string;
  registeredOn?: Dayjs | null;
  registrationAuthority?: string;
}

interface Props {
  organization: Organization;
  open: boolean;
  onClose(): void;
}

/** A filed community organization that has registered: new kind and USCC, same filing number and history. */
export function UpgradeModal({ organization, open, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const update = useUpdateOrganization(organization.id);

  return (
    <FormModal<Values>
      open={open}
      title={t('organizations.upgradeTitle', { name: organization.name })}
      form={form}
      onClose={onClose}
      submit={async (values) => {
        const body: UpdateOrganizationBody = { kind: values.kind, uscc: normalizeUscc(values.uscc) };
        if (values.registeredOn) body.registeredOn = values.registeredOn.format('YYYY-MM-DD');
        if (values.registrationAuthority?.trim()) body.registrationAuthority = values.registrationAuthority.trim();
        const saved = await update.mutateAsync(body);
        message.success(t('organizations.upgraded'));
        if (saved.usccWarning) message.warning(t('organizations.usccNotCivil'));
      }}
      submitTestId="org-upgrade-submit"
      submitText={t('organizations.upgrade')}
      codeFields={{ duplicate_uscc: 'uscc' }}
    >
      <Alert type="info" showIcon title={t('organizations.upgradeHint')} style={{ marginBottom: 16 }} />
      <Form.Item
        name="kind"
        label={t('organizations.kind')}
        rules={[{ required: true, message: t('common.required') }]}
      >
        <Radio.Group
          optionType="button"
          buttonStyle="solid"
          data-testid="org-upgrade-kind"
          options={registeredKinds.map((k) => ({ value: k, label: t(`orgKinds.${k}`) }))}
        />
      </Form.Item>
      <Form.Item
        name="uscc"
        label={t('organizations.uscc')}
        extra={t('organizations.usccHint')}
        rules={usccRules(t)}
        normalize={(value: string) => value.toUpperCase()}
      >
        <Input maxLength={24} autoComplete="off" spellCheck={false} data-testid="org-upgrade-uscc" />
      </Form.Item>
      <Form.Item name="registeredOn" label={t('organizations.registeredOn')}>
        <DatePicker format="YYYY-MM-DD" />
      </Form.Item>
      <Form.Item name="registrationAuthority" label={t('organizations.registrationAuthority')} rules={[{ max: 100 }]}>
        <Input maxLength={100} />
      </Form.Item>
    </FormModal>
  );
}
