import { phoneSchema } from '@qiao/contracts';
import type { CreateJurisdictionBody, Jurisdiction } from '@qiao/contracts';
import { Divider, Form, Input, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { FormModal } from '../../components/form-modal.js';
import { jurisdictionName } from '../../lib/jurisdiction-tree.js';
import { schemaRule } from '../../lib/rules.js';
import { useCreateJurisdiction } from './jurisdictions-api.js';

export type NewLevel = 'district' | 'subdistrict';

interface Values {
  parentId: number;
  name: string;
  nameEn?: string;
  code: string;
  center?: { name?: string; address?: string; phone?: string; openingHours?: string };
}

/** A district's code shares the city's first four digits; a subdistrict's begins with its district's code. */
export function codePrefix(level: NewLevel, parent: Jurisdiction | undefined): string {
  if (!parent) return '';
  return level === 'district' ? parent.code.slice(0, 4) : parent.code;
}

function toBody(level: NewLevel, values: Values): CreateJurisdictionBody {
  const body: CreateJurisdictionBody = {
    level,
    parentId: values.parentId,
    name: values.name.trim(),
    code: values.code.trim(),
  };
  if (values.nameEn?.trim()) body.nameEn = values.nameEn.trim();
  const center = values.center;
  if (level === 'subdistrict' && center?.name?.trim()) {
    body.center = { name: center.name.trim() };
    if (center.address?.trim()) body.center.address = center.address.trim();
    if (center.phone?.trim()) body.center.phone = center.phone.trim();
    if (center.openingHours?.trim()) body.center.openingHours = center.openingHours.trim();
  }
  return body;
}

interface Props {
  level: NewLevel | null;
  parents: Jurisdiction[];
  defaultParent: Jurisdiction | undefined;
  onClose(): void;
  onCreated(jurisdiction: Jurisdiction): void;
}

export function CreateJurisdictionModal({ level, parents, defaultParent, onClose, onCreated }: Props) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<Values>();
  const create = useCreateJurisdiction();
  const digits = level === 'subdistrict' ? 9 : 6;

  const onParentChange = (parentId: number) => {
    if (!level) return;
    const parent = parents.find((p) => p.id === parentId);
    form.setFieldValue('code', codePrefix(level, parent));
  };

  return (
    <FormModal<Values>
      open={level !== null}
      title={level === 'subdistrict' ? t('jurisdictions.newSubdistrict') : t('jurisdictions.newDistrict')}
      form={form}
      initialValues={{ parentId: defaultParent?.id, code: level ? codePrefix(level, defaultParent) : '' }}
      onClose={onClose}
      submit={async (values) => {
        if (!level) return;
        onCreated(await create.mutateAsync(toBody(level, values)));
      }}
      submitTestId="jurisdiction-form-submit"
      submitText={t('common.create')}
      codeFields={{ duplicate_code: 'code' }}
    >
      <Form.Item
        name="parentId"
        label={t('jurisdictions.parent')}
        rules={[{ required: true, message: t('common.required') }]}
      >
        <Select
          data-testid="jurisdiction-form-parent"
          options={parents.map((p) => ({ value: p.id, label: `${jurisdictionName(p, i18n.language)} (${p.code})` }))}
          onChange={onParentChange}
          showSearch={{ optionFilterProp: 'label' }}
        />
      </Form.Item>
      <Form.Item
        name="name"
        label={t('jurisdictions.name')}
        rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 50 }]}
      >
        <Input data-testid="jurisdiction-form-name" maxLength={50} />
      </Form.Item>
      <Form.Item name="nameEn" label={t('jurisdictions.nameEn')} rules={[{ max: 100 }]}>
        <Input data-testid="jurisdiction-form-name-en" maxLength={100} />
      </Form.Item>
      <Form.Item
        name="code"
        label={t('jurisdictions.code')}
        extra={level === 'subdistrict' ? t('jurisdictions.codeHintSubdistrict') : t('jurisdictions.codeHintDistrict')}
        rules={[
          { required: true, message: t('common.required') },
          { pattern: new RegExp(`^\\d{${digits}}$`), message: t('jurisdictions.codeDigits', { count: digits }) },
        ]}
      >
        <Input data-testid="jurisdiction-form-code" inputMode="numeric" maxLength={digits} />
      </Form.Item>
      {level === 'subdistrict' && (
        <>
          <Divider titlePlacement="start">{t('jurisdictions.centerOptional')}</Divider>
          <Typography.Paragraph type="secondary">{t('jurisdictions.centerOptionalHint')}</Typography.Paragraph>
          <Form.Item name={['center', 'name']} label={t('center.name')} rules={[{ max: 100 }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name={['center', 'address']} label={t('center.address')} rules={[{ max: 200 }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item
            name={['center', 'phone']}
            label={t('center.phone')}
            rules={[schemaRule(phoneSchema, t('center.phoneInvalid'))]}
          >
            <Input inputMode="tel" />
          </Form.Item>
          <Form.Item name={['center', 'openingHours']} label={t('center.openingHours')} rules={[{ max: 100 }]}>
            <Input maxLength={100} placeholder={t('center.openingHoursPlaceholder')} />
          </Form.Item>
        </>
      )}
    </FormModal>
  );
}
