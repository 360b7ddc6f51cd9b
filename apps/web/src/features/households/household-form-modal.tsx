import { hardshipCategories, type CreateHouseholdBody, type Household } from '@qiao/contracts';
import { Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { FormModal } from '../../components/form-modal.js';
import { JurisdictionTreeSelect } from '../../components/jurisdiction-tree-select.js';
import { useAuth } from '../../app/auth-context.js';
import { useCreateHousehold, useUpdateHousehold } from './households-api.js';

interface CreateValues {
  headName: string;
  idNumber: string;
  category: CreateHouseholdBody['category'];
  jurisdictionId: number;
  phone?: string;
}

/** Enters a household: the head's name, ID number, category, subdistrict and phone. */
export function HouseholdCreateModal({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose(): void;
  onCreated(h: Household): void;
}) {
  const { t } = useTranslation();
  const { jurisdiction } = useAuth();
  const [form] = Form.useForm<CreateValues>();
  const create = useCreateHousehold();
  return (
    <FormModal<CreateValues>
      open={open}
      title={t('households.create')}
      form={form}
      initialValues={{ jurisdictionId: jurisdiction?.level === 'subdistrict' ? jurisdiction.id : undefined }}
      onClose={onClose}
      submit={async (v) => onCreated(await create.mutateAsync({ ...v, phone: v.phone?.trim() || undefined }))}
      submitTestId="household-create-submit"
      codeFields={{ duplicate_household: 'idNumber' }}
    >
      <Form.Item
        name="headName"
        label={t('households.headName')}
        rules={[{ required: true, whitespace: true, max: 50 }]}
      >
        <Input autoFocus maxLength={50} data-testid="household-head-name" />
      </Form.Item>
      <Form.Item
        name="idNumber"
        label={t('households.idNumber')}
        extra={t('households.idNumberHelp')}
        rules={[
          { required: true, whitespace: true },
          { pattern: /^\s*\d{17}[\dXx]\s*$/, message: t('fieldErrors.invalid_id_number') },
        ]}
      >
        <Input maxLength={18} autoComplete="off" data-testid="household-id-number" />
      </Form.Item>
      <Form.Item name="category" label={t('households.category')} rules={[{ required: true }]}>
        <Select
          showSearch
          optionFilterProp="label"
          data-testid="household-category"
          options={hardshipCategories.map((c) => ({ value: c, label: t(`hardshipCategories.${c}`) }))}
        />
      </Form.Item>
      <Form.Item name="jurisdictionId" label={t('households.jurisdiction')} rules={[{ required: true }]}>
        <JurisdictionTreeSelect levels={['subdistrict']} data-testid="household-jurisdiction" />
      </Form.Item>
      <Form.Item name="phone" label={t('households.phone')}>
        <Input maxLength={20} inputMode="tel" data-testid="household-phone" />
      </Form.Item>
    </FormModal>
  );
}

interface EditValues {
  headName: string;
  category: CreateHouseholdBody['category'];
  address?: string;
  phone?: string;
}

/** Changes the head's name, category, address; a phone typed here replaces the one held (left empty, it stays). */
export function HouseholdEditModal({
  household,
  open,
  onClose,
}: {
  household: Household;
  open: boolean;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<EditValues>();
  const update = useUpdateHousehold(household.id);
  return (
    <FormModal<EditValues>
      open={open}
      title={t('households.edit')}
      form={form}
      initialValues={{
        headName: household.headName,
        category: household.category,
        address: household.address ?? undefined,
      }}
      onClose={onClose}
      submit={(v) =>
        update.mutateAsync({
          headName: v.headName,
          category: v.category,
          address: v.address?.trim() ? v.address : null,
          ...(v.phone?.trim() ? { phone: v.phone } : {}),
        })
      }
      submitTestId="household-edit-submit"
    >
      <Form.Item
        name="headName"
        label={t('households.headName')}
        rules={[{ required: true, whitespace: true, max: 50 }]}
      >
        <Input maxLength={50} />
      </Form.Item>
      <Form.Item name="category" label={t('households.category')} rules={[{ required: true }]}>
        <Select options={hardshipCategories.map((c) => ({ value: c, label: t(`hardshipCategories.${c}`) }))} />
      </Form.Item>
      <Form.Item name="address" label={t('households.address')}>
        <Input.TextArea rows={2} maxLength={200} data-testid="household-address" />
      </Form.Item>
      <Form.Item
        name="phone"
        label={t('households.newPhone')}
        extra={t('households.newPhoneHelp', { phone: household.phone ?? '—' })}
      >
        <Input maxLength={20} inputMode="tel" />
      </Form.Item>
    </FormModal>
  );
}
