import type { Jurisdiction } from '@qiao/contracts';
import { Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { FormModal } from '../../components/form-modal.js';
import { useRenameJurisdiction } from './jurisdictions-api.js';

interface Values {
  name: string;
  nameEn?: string;
}

export function RenameJurisdictionModal({
  jurisdiction,
  open,
  onClose,
}: {
  jurisdiction: Jurisdiction;
  open: boolean;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const rename = useRenameJurisdiction(jurisdiction.id);
  return (
    <FormModal<Values>
      open={open}
      title={t('jurisdictions.rename')}
      form={form}
      initialValues={{ name: jurisdiction.name, nameEn: jurisdiction.nameEn ?? '' }}
      onClose={onClose}
      submit={(values) => rename.mutateAsync({ name: values.name.trim(), nameEn: values.nameEn?.trim() || null })}
      submitTestId="rename-form-submit"
    >
      <Form.Item
        name="name"
        label={t('jurisdictions.name')}
        rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 50 }]}
      >
        <Input maxLength={50} data-testid="rename-form-name" />
      </Form.Item>
      <Form.Item name="nameEn" label={t('jurisdictions.nameEn')} rules={[{ max: 100 }]}>
        <Input maxLength={100} />
      </Form.Item>
    </FormModal>
  );
}
