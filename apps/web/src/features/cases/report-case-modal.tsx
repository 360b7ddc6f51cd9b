import { caseCategories, caseSeverities, type CreateCaseBody } from '@qiao/contracts';
import { Form, Input, Radio, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useAuth } from '../../app/auth-context.js';
import { FormModal } from '../../components/form-modal.js';
import { JurisdictionTreeSelect } from '../../components/jurisdiction-tree-select.js';
import { jurisdictionName } from '../../lib/jurisdiction-tree.js';
import { HouseholdPicker } from '../households/household-picker.js';
import { useCreateCase } from './cases-api.js';
import { OrganizationPicker } from './organization-picker.js';

interface Values {
  category: CreateCaseBody['category'];
  severity: CreateCaseBody['severity'];
  description: string;
  jurisdictionId: number;
  organizationId?: number;
  householdId?: number;
}

/**
 * Reporting is kept short for volunteers: what happened, how urgent, where. Someone placed in a
 * subdistrict reports there; staff above pick the subdistrict.
 */
export function ReportCaseModal({ open, onClose }: { open: boolean; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const { jurisdiction, can } = useAuth();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const create = useCreateCase();
  const fixed = jurisdiction?.level === 'subdistrict' || !can('jurisdiction:read');

  const submit = async (values: Values) => {
    const created = await create.mutateAsync({
      ...values,
      jurisdictionId: fixed && jurisdiction ? jurisdiction.id : values.jurisdictionId,
    });
    await navigate(`/cases/${created.id}`);
  };

  return (
    <FormModal<Values>
      open={open}
      title={t('cases.report')}
      form={form}
      initialValues={{ severity: 'medium' }}
      onClose={onClose}
      submit={submit}
      submitTestId="case-report-submit"
      submitText={t('cases.reportSubmit')}
      width={640}
    >
      <Form.Item
        name="category"
        label={t('cases.category')}
        rules={[{ required: true, message: t('common.required') }]}
      >
        <Select
          data-testid="case-category"
          options={caseCategories.map((c) => ({ value: c, label: t(`caseCategories.${c}`) }))}
        />
      </Form.Item>
      <Form.Item
        name="severity"
        label={t('cases.severity')}
        rules={[{ required: true, message: t('common.required') }]}
      >
        <Radio.Group
          optionType="button"
          buttonStyle="solid"
          data-testid="case-severity"
          options={caseSeverities.map((s) => ({ value: s, label: t(`caseSeverities.${s}`) }))}
        />
      </Form.Item>
      <Form.Item
        name="description"
        label={t('cases.description')}
        extra={t('cases.descriptionHint')}
        rules={[{ required: true, whitespace: true, message: t('common.required') }]}
      >
        <Input.TextArea rows={4} maxLength={2000} showCount data-testid="case-description" />
      </Form.Item>
      {fixed ? (
        <Form.Item label={t('cases.jurisdiction')}>
          <Typography.Text>{jurisdiction ? jurisdictionName(jurisdiction, i18n.language) : '—'}</Typography.Text>
        </Form.Item>
      ) : (
        <Form.Item
          name="jurisdictionId"
          label={t('cases.jurisdiction')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <JurisdictionTreeSelect levels={['subdistrict']} data-testid="case-jurisdiction" />
        </Form.Item>
      )}
      {can('organization:read') && (
        <Form.Item name="organizationId" label={t('cases.organizationOptional')}>
          <OrganizationPicker />
        </Form.Item>
      )}
      {can('household:read') && (
        <Form.Item name="householdId" label={t('cases.householdOptional')}>
          <HouseholdPicker data-testid="case-household-picker" />
        </Form.Item>
      )}
    </FormModal>
  );
}
