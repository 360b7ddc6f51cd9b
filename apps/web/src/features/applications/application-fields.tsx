import { isValidIdNumber, normalizeIdNumber, normalizeUscc, organizationKinds, phoneSchema } from '@qiao/contracts';
import type { AmendApplicationBody, Application, OrganizationKind } from '@qiao/contracts';
import { Col, DatePicker, Divider, Form, Input, Radio, Row, Select, Typography } from 'antd';
import type { FormInstance, FormRule } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { schemaRule } from '../../lib/rules.js';
import { usccRules } from '../organizations/organization-form-modal.js';
import { usePublicSubdistricts } from './applications-api.js';
import { isRegisteredKind } from '../organizations/organization-form-values.js';
import { useFieldOptions } from '../../lib/service-fields.js';

/** Picks the subdistrict by name (district · subdistrict · its center), searchable by name or code. */
function SubdistrictSelect({
  testId,
  ...props
}: {
  testId: string;
  value?: number;
  onChange?: (v: number) => void;
  id?: string;
}) {
  const { t, i18n } = useTranslation();
  const { data, isLoading } = usePublicSubdistricts();
  const en = i18n.language === 'en';
  const options = (data?.items ?? []).map((s) => {
    const district = (en && s.districtEn) || s.district;
    const name = (en && s.nameEn) || s.name;
    return { value: s.id, label: `${district} · ${name}${s.center ? ` (${s.center})` : ''} ${s.code}` };
  });
  return (
    <Select
      {...props}
      showSearch={{ optionFilterProp: 'label' }}
      loading={isLoading}
      options={options}
      placeholder={t('applications.subdistrictPick')}
      data-testid={testId}
    />
  );
}

/** The organization and its person in charge, as the applicant fills them in (apply and amend). */
export interface ApplicationFormValues {
  organization: {
    kind: OrganizationKind;
    name: string;
    uscc?: string;
    jurisdictionId?: number;
    foundedOn?: Dayjs | null;
    address?: string;
    fields?: string[];
  };
  personInCharge: { name: string; idNumber?: string; phone?: string };
}

/** Required on the public form; when amending, only together with the other personal field. */
function requiredRule(t: TFunction, optional: boolean, other: string): FormRule {
  if (!optional) return { required: true, whitespace: true, message: t('common.required') };
  return ({ getFieldValue }) => ({
    validator: async (_rule, value: string | undefined) => {
      const otherValue = getFieldValue(['personInCharge', other]) as string | undefined;
      if (otherValue?.trim() && !value?.trim()) throw new Error(t('applications.bothPersonalFields'));
    },
  });
}

function idNumberRules(t: TFunction, optional: boolean): FormRule[] {
  return [
    requiredRule(t, optional, 'phone'),
    {
      validator: async (_rule, value: string | undefined) => {
        if (value?.trim() && !isValidIdNumber(normalizeIdNumber(value)))
          throw new Error(t('fieldErrors.invalid_id_number'));
      },
    },
  ];
}

const clean = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

/** The form's values as the contract's organization and person in charge (empty optionals left out). */
export function toApplicationParts(values: ApplicationFormValues) {
  const o = values.organization;
  const registered = isRegisteredKind(o.kind);
  const organization = {
    kind: o.kind,
    name: o.name.trim(),
    ...(registered && o.uscc ? { uscc: normalizeUscc(o.uscc) } : {}),
    ...(o.foundedOn ? { foundedOn: o.foundedOn.format('YYYY-MM-DD') } : {}),
    ...(clean(o.address) ? { address: clean(o.address) } : {}),
    ...(o.fields && o.fields.length > 0 ? { fields: o.fields as never } : {}),
  };
  const pic = values.personInCharge;
  const personInCharge = {
    name: pic.name.trim(),
    idNumber: normalizeIdNumber(pic.idNumber ?? ''),
    phone: (pic.phone ?? '').trim(),
  };
  return { organization, personInCharge };
}

/** Amending: the organization's fields as they are now, personal data typed again (it is masked). */
export function fromApplication(application: Application): Partial<ApplicationFormValues> {
  const org = application.organization;
  return {
    organization: {
      kind: org.kind,
      name: org.name,
      uscc: org.uscc ?? undefined,
      foundedOn: org.foundedOn ? dayjs(org.foundedOn) : null,
      address: org.address ?? undefined,
      fields: org.fields,
    },
    personInCharge: { name: org.personInCharge?.name ?? '', idNumber: '', phone: '' },
  };
}

/** The person in charge goes with the amendment only when the ID number and phone were typed again. */
export function toAmendBody(values: ApplicationFormValues): AmendApplicationBody {
  const { organization, personInCharge } = toApplicationParts(values);
  return personInCharge.idNumber && personInCharge.phone
    ? ({ organization, personInCharge } as AmendApplicationBody)
    : ({ organization } as AmendApplicationBody);
}

interface Props {
  form: FormInstance;
  /** The public form asks for the subdistrict; an amendment keeps it. */
  withJurisdiction: boolean;
  testIdPrefix: string;
  /** Amending: the masked ID number and phone may be left blank to keep them. */
  personOptional?: boolean;
  /** Amending: the fields of service the application already has; a retired one stays listed (marked) so it is not dropped. */
  keptFields?: readonly string[];
}

/** The organization, then its person in charge: the same fields on the public form and the amend form. */
export function ApplicationFields({
  form,
  withJurisdiction,
  testIdPrefix: p,
  personOptional = false,
  keptFields = [],
}: Props) {
  const { t } = useTranslation();
  const fieldOptions = useFieldOptions({ publicList: true, kept: keptFields });
  const kind = Form.useWatch(['organization', 'kind'], form) as OrganizationKind | undefined;
  const registered = isRegisteredKind(kind);

  return (
    <>
      <Divider titlePlacement="start">{t('applications.sectionOrganization')}</Divider>
      <Form.Item
        name={['organization', 'kind']}
        label={t('organizations.kind')}
        rules={[{ required: true, message: t('common.required') }]}
        extra={registered ? t('organizations.kindRegisteredHint') : t('organizations.kindFiledHint')}
      >
        <Radio.Group
          optionType="button"
          buttonStyle="solid"
          data-testid={`${p}-kind`}
          options={organizationKinds.map((k) => ({ value: k, label: t(`orgKinds.${k}`) }))}
          onChange={() => form.setFieldValue(['organization', 'uscc'], undefined)}
        />
      </Form.Item>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item
            name={['organization', 'name']}
            label={t('organizations.name')}
            rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 100 }]}
          >
            <Input maxLength={100} data-testid={`${p}-name`} />
          </Form.Item>
        </Col>
        {registered && (
          <Col xs={24} md={12}>
            <Form.Item
              name={['organization', 'uscc']}
              label={t('organizations.uscc')}
              extra={t('organizations.usccHint')}
              rules={usccRules(t)}
            >
              <Input maxLength={18} style={{ fontFamily: 'monospace' }} data-testid={`${p}-uscc`} />
            </Form.Item>
          </Col>
        )}
        {withJurisdiction && (
          <Col xs={24} md={12}>
            <Form.Item
              name={['organization', 'jurisdictionId']}
              label={t('applications.subdistrict')}
              extra={t('applications.subdistrictHint')}
              rules={[{ required: true, message: t('common.required') }]}
            >
              <SubdistrictSelect testId={`${p}-subdistrict`} />
            </Form.Item>
          </Col>
        )}
        <Col xs={24} md={12}>
          <Form.Item name={['organization', 'foundedOn']} label={t('organizations.foundedOn')}>
            <DatePicker format="YYYY-MM-DD" style={{ width: '100%' }} data-testid={`${p}-founded-on`} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name={['organization', 'address']} label={t('organizations.address')} rules={[{ max: 200 }]}>
            <Input maxLength={200} data-testid={`${p}-address`} />
          </Form.Item>
        </Col>
        <Col xs={24}>
          <Form.Item name={['organization', 'fields']} label={t('organizations.fields')}>
            <Select mode="multiple" allowClear data-testid={`${p}-fields`} options={fieldOptions} />
          </Form.Item>
        </Col>
      </Row>

      <Divider titlePlacement="start">{t('organizations.personInCharge')}</Divider>
      <Typography.Paragraph type="secondary">
        {personOptional ? t('applications.personalDataKeepHint') : t('applications.personalDataHint')}
      </Typography.Paragraph>
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Form.Item
            name={['personInCharge', 'name']}
            label={t('organizations.picName')}
            rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 50 }]}
          >
            <Input maxLength={50} data-testid={`${p}-pic-name`} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item
            name={['personInCharge', 'idNumber']}
            label={t('organizations.picIdNumber')}
            dependencies={[['personInCharge', 'phone']]}
            rules={idNumberRules(t, personOptional)}
          >
            <Input maxLength={18} autoComplete="off" data-testid={`${p}-pic-id-number`} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item
            name={['personInCharge', 'phone']}
            label={t('organizations.picPhone')}
            dependencies={[['personInCharge', 'idNumber']]}
            rules={[requiredRule(t, personOptional, 'idNumber'), schemaRule(phoneSchema, t('center.phoneInvalid'))]}
          >
            <Input maxLength={20} autoComplete="tel" data-testid={`${p}-pic-phone`} />
          </Form.Item>
        </Col>
      </Row>
    </>
  );
}
