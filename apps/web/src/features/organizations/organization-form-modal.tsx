import {
  contactStatuses,
  isValidIdNumber,
  isValidUscc,
  normalizeIdNumber,
  normalizeUscc,
  organizationKeyFields,
  organizationKinds,
  partyBranchKinds,
  phoneSchema,
  usccWarning,
} from '@qiao/contracts';
import type { Organization } from '@qiao/contracts';
import {
  Alert,
  App,
  Checkbox,
  Col,
  DatePicker,
  Divider,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Typography,
} from 'antd';
import type { FormRule } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth-context.js';
import { FormModal } from '../../components/form-modal.js';
import { JurisdictionTreeSelect } from '../../components/jurisdiction-tree-select.js';
import { schemaRule } from '../../lib/rules.js';
import { fromOrganization, isRegisteredKind, toCreateBody, toUpdateBody } from './organization-form-values.js';
import type { OrganizationFormValues } from './organization-form-values.js';
import { useCreateOrganization, useUpdateOrganization } from './organizations-api.js';
import { useFieldOptions } from '../../lib/service-fields.js';

const DATE_FORMAT = 'YYYY-MM-DD';

/** Checks the check character client-side (GB 32100-2015), and warns on a code civil affairs did not issue. */
export function usccRules(t: TFunction): FormRule[] {
  return [
    { required: true, whitespace: true, message: t('organizations.usccRequired') },
    {
      validator: async (_rule, value: string | undefined) => {
        if (value && !isValidUscc(normalizeUscc(value))) throw new Error(t('fieldErrors.invalid_uscc'));
      },
    },
    {
      warningOnly: true,
      validator: async (_rule, value: string | undefined) => {
        const code = normalizeUscc(value ?? '');
        if (isValidUscc(code) && usccWarning(code)) throw new Error(t('organizations.usccNotCivil'));
      },
    },
  ];
}

function idNumberRule(t: TFunction): FormRule {
  return {
    validator: async (_rule, value: string | undefined) => {
      if (value?.trim() && !isValidIdNumber(normalizeIdNumber(value)))
        throw new Error(t('fieldErrors.invalid_id_number'));
    },
  };
}

/** A count of people: whole, not negative. */
function CountInput({
  testId,
  ...props
}: {
  testId: string;
  id?: string;
  value?: number;
  onChange?(v: unknown): void;
}) {
  return (
    <InputNumber {...props} min={0} max={10_000_000} precision={0} style={{ width: '100%' }} data-testid={testId} />
  );
}

interface Props {
  /** undefined: closed; null: a new organization; an organization: edit it. */
  organization: Organization | null | undefined;
  onClose(): void;
  onCreated?(organization: Organization): void;
  /** The organization's own officer: key fields go to the center staff's review, contact status stays theirs. */
  reviewKeyFields?: boolean;
}

/** Needs or capabilities: free tags (typed, separated by commas) and a short text. */
function TagsAndText({ name, label, textLabel }: { name: 'needs' | 'capabilities'; label: string; textLabel: string }) {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item
        name={[name, 'tags']}
        label={label}
        extra={t('organizations.tagsHint')}
        rules={[{ type: 'array', max: 20 }]}
      >
        <Select
          mode="tags"
          open={false}
          suffixIcon={null}
          maxCount={20}
          tokenSeparators={[',', '，', '、']}
          data-testid={`org-form-${name}-tags`}
        />
      </Form.Item>
      <Form.Item name={[name, 'text']} rules={[{ max: 2000 }]}>
        <Input.TextArea
          rows={2}
          maxLength={2000}
          placeholder={textLabel}
          aria-label={textLabel}
          data-testid={`org-form-${name}-text`}
        />
      </Form.Item>
    </>
  );
}

/**
 * Files or registers a new organization, or edits one. The kind comes first: it decides whether
 * the organization carries a USCC and registration data (registered kinds) or gets a filing
 * number from the center (community organizations).
 */
export function OrganizationFormModal({ organization, onClose, onCreated, reviewKeyFields = false }: Props) {
  const { t } = useTranslation();
  const fieldOptions = useFieldOptions({ kept: organization?.fields ?? [] });
  const { message } = App.useApp();
  const { user, jurisdiction } = useAuth();
  const [form] = Form.useForm<OrganizationFormValues>();
  const create = useCreateOrganization();
  const update = useUpdateOrganization(organization?.id ?? 0);
  const editing = Boolean(organization);
  const kind = Form.useWatch('kind', form) ?? organization?.kind;
  const registered = isRegisteredKind(kind);
  const branchKind = Form.useWatch(['partyBranch', 'kind'], form);
  const masked = organization?.personInCharge;

  const initialValues: Partial<OrganizationFormValues> = organization
    ? fromOrganization(organization)
    : {
        kind: 'community_org',
        jurisdictionId: jurisdiction?.level === 'subdistrict' ? user?.jurisdictionId : undefined,
        partyBranch: { kind: 'none', commitmentLetter: false },
      };

  const submit = async (values: OrganizationFormValues) => {
    if (organization) {
      const body = toUpdateBody(values, organization);
      if (Object.keys(body).length === 0) {
        message.info(t('organizations.nothingChanged'));
        return;
      }
      if (reviewKeyFields) delete body.contactStatus;
      const saved = await update.mutateAsync(body);
      const toReview = reviewKeyFields && organizationKeyFields.some((f) => body[f] !== undefined);
      message.success(toReview ? t('changeRequests.sentForReview') : t('common.saved'));
      if (saved.usccWarning) message.warning(t('organizations.usccNotCivil'));
      return;
    }
    const created = await create.mutateAsync(toCreateBody(values));
    message.success(
      created.filingNumber
        ? t('organizations.filed', { number: created.filingNumber })
        : t('organizations.created', { name: created.name }),
    );
    if (created.usccWarning) message.warning(t('organizations.usccNotCivil'));
    onCreated?.(created);
  };

  const personRequired: FormRule = ({ getFieldValue }) => ({
    validator: async (_rule, value: string | undefined) => {
      const other =
        (getFieldValue(['personInCharge', 'idNumber']) as string | undefined)?.trim() ||
        (getFieldValue(['personInCharge', 'phone']) as string | undefined)?.trim();
      if (other && !value?.trim()) throw new Error(t('organizations.picNameRequired'));
    },
  });

  const keepHint = (value: string | null | undefined) =>
    editing && value ? t('organizations.keepMasked', { value }) : undefined;

  return (
    <FormModal<OrganizationFormValues>
      open={organization !== undefined}
      title={organization ? t('organizations.editTitle', { name: organization.name }) : t('organizations.createTitle')}
      form={form}
      width={820}
      initialValues={initialValues}
      onClose={onClose}
      submit={submit}
      submitTestId="org-form-submit"
      submitText={editing ? t('common.save') : t('common.create')}
      codeFields={{ duplicate_uscc: 'uscc' }}
    >
      {reviewKeyFields && (
        <Alert
          type="info"
          showIcon
          title={t('changeRequests.reviewHint')}
          style={{ marginBottom: 16 }}
          data-testid="org-form-review-hint"
        />
      )}
      <Form.Item
        name="kind"
        label={t('organizations.kind')}
        rules={[{ required: true, message: t('common.required') }]}
        extra={registered ? t('organizations.kindRegisteredHint') : t('organizations.kindFiledHint')}
      >
        <Radio.Group
          optionType="button"
          buttonStyle="solid"
          disabled={editing}
          data-testid="org-form-kind"
          options={organizationKinds.map((k) => ({ value: k, label: t(`orgKinds.${k}`) }))}
          onChange={() => form.setFieldValue('uscc', undefined)}
        />
      </Form.Item>

      <Divider titlePlacement="start">{t('organizations.sectionBasic')}</Divider>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item
            name="name"
            label={t('organizations.name')}
            rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 100 }]}
          >
            <Input maxLength={100} data-testid="org-form-name" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="nameEn" label={t('organizations.nameEn')} rules={[{ max: 200 }]}>
            <Input maxLength={200} data-testid="org-form-name-en" />
          </Form.Item>
        </Col>
        {registered && (
          <Col xs={24} md={12}>
            <Form.Item
              name="uscc"
              label={t('organizations.uscc')}
              extra={t('organizations.usccHint')}
              rules={usccRules(t)}
              normalize={(value: string) => value.toUpperCase()}
            >
              <Input maxLength={24} autoComplete="off" spellCheck={false} data-testid="org-form-uscc" />
            </Form.Item>
          </Col>
        )}
        {/* The officer may not read the jurisdiction tree, and an edit never moves the organization. */}
        {!reviewKeyFields && (
          <Col xs={24} md={12}>
            <Form.Item
              name="jurisdictionId"
              label={t('organizations.jurisdiction')}
              extra={editing ? undefined : t('organizations.jurisdictionHint')}
              rules={[{ required: true, message: t('common.required') }]}
            >
              <JurisdictionTreeSelect levels={['subdistrict']} disabled={editing} data-testid="org-form-jurisdiction" />
            </Form.Item>
          </Col>
        )}
        <Col xs={24} md={12}>
          <Form.Item name="foundedOn" label={t('organizations.foundedOn')}>
            <DatePicker format={DATE_FORMAT} style={{ width: '100%' }} data-testid="org-form-founded-on" />
          </Form.Item>
        </Col>
        {registered && (
          <>
            <Col xs={24} md={12}>
              <Form.Item name="registeredOn" label={t('organizations.registeredOn')}>
                <DatePicker format={DATE_FORMAT} style={{ width: '100%' }} data-testid="org-form-registered-on" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="registrationAuthority"
                label={t('organizations.registrationAuthority')}
                rules={[{ max: 100 }]}
              >
                <Input maxLength={100} data-testid="org-form-authority" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="certificateExpiresOn" label={t('organizations.certificateExpiresOn')}>
                <DatePicker
                  format={DATE_FORMAT}
                  style={{ width: '100%' }}
                  data-testid="org-form-certificate-expires-on"
                />
              </Form.Item>
            </Col>
          </>
        )}
        <Col xs={24} md={12}>
          <Form.Item name="supervisingUnit" label={t('organizations.supervisingUnit')} rules={[{ max: 100 }]}>
            <Input maxLength={100} data-testid="org-form-supervising-unit" />
          </Form.Item>
        </Col>
        <Col xs={24}>
          <Form.Item name="address" label={t('organizations.address')} rules={[{ max: 200 }]}>
            <Input maxLength={200} data-testid="org-form-address" />
          </Form.Item>
        </Col>
      </Row>

      <Divider titlePlacement="start">{t('organizations.personInCharge')}</Divider>
      {editing && masked && (
        <Typography.Paragraph type="secondary">{t('organizations.personalDataHint')}</Typography.Paragraph>
      )}
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Form.Item
            name={['personInCharge', 'name']}
            label={t('organizations.picName')}
            dependencies={[
              ['personInCharge', 'idNumber'],
              ['personInCharge', 'phone'],
            ]}
            rules={[{ max: 50 }, personRequired]}
          >
            <Input maxLength={50} autoComplete="off" data-testid="org-form-pic-name" />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item
            name={['personInCharge', 'idNumber']}
            label={t('organizations.picIdNumber')}
            extra={keepHint(masked?.idNumber)}
            rules={[idNumberRule(t)]}
            normalize={(value: string) => value.toUpperCase()}
          >
            <Input maxLength={20} autoComplete="off" spellCheck={false} data-testid="org-form-pic-id-number" />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item
            name={['personInCharge', 'phone']}
            label={t('organizations.picPhone')}
            extra={keepHint(masked?.phone)}
            rules={[schemaRule(phoneSchema, t('center.phoneInvalid'))]}
          >
            <Input inputMode="tel" autoComplete="off" data-testid="org-form-pic-phone" />
          </Form.Item>
        </Col>
      </Row>

      <Divider titlePlacement="start">{t('organizations.sectionService')}</Divider>
      <Form.Item name="fields" label={t('organizations.fields')}>
        <Checkbox.Group data-testid="org-form-fields" options={fieldOptions} />
      </Form.Item>
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Form.Item name="membersCount" label={t('organizations.membersCount')}>
            <CountInput testId="org-form-members" />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="staffCount" label={t('organizations.staffCount')}>
            <CountInput testId="org-form-staff" />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="volunteersCount" label={t('organizations.volunteersCount')}>
            <CountInput testId="org-form-volunteers" />
          </Form.Item>
        </Col>
      </Row>

      <Divider titlePlacement="start">{t('organizations.sectionNeeds')}</Divider>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <TagsAndText name="needs" label={t('organizations.needs')} textLabel={t('organizations.needsText')} />
        </Col>
        <Col xs={24} md={12}>
          <TagsAndText
            name="capabilities"
            label={t('organizations.capabilities')}
            textLabel={t('organizations.capabilitiesText')}
          />
        </Col>
      </Row>

      <Divider titlePlacement="start">{t('organizations.sectionParty')}</Divider>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name={['partyBranch', 'kind']} label={t('organizations.partyBranch')}>
            <Select
              data-testid="org-form-party-kind"
              options={partyBranchKinds.map((k) => ({ value: k, label: t(`partyBranchKinds.${k}`) }))}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name={['partyBranch', 'commitmentLetter']}
            label={t('organizations.commitmentLetter')}
            valuePropName="checked"
          >
            <Checkbox data-testid="org-form-party-commitment">{t('organizations.commitmentLetterSigned')}</Checkbox>
          </Form.Item>
        </Col>
        {branchKind && branchKind !== 'none' && (
          <>
            <Col xs={24} md={8}>
              <Form.Item name={['partyBranch', 'membersCount']} label={t('organizations.partyMembers')}>
                <CountInput testId="org-form-party-members" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item
                name={['partyBranch', 'secretary']}
                label={t('organizations.partySecretary')}
                rules={[{ max: 50 }]}
              >
                <Input maxLength={50} data-testid="org-form-party-secretary" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name={['partyBranch', 'establishedOn']} label={t('organizations.partyEstablishedOn')}>
                <DatePicker
                  format={DATE_FORMAT}
                  style={{ width: '100%' }}
                  data-testid="org-form-party-established-on"
                />
              </Form.Item>
            </Col>
          </>
        )}
      </Row>

      {editing && !reviewKeyFields && (
        <>
          <Divider titlePlacement="start">{t('organizations.contactStatus')}</Divider>
          <Form.Item name="contactStatus" extra={t('organizations.contactStatusHint')}>
            <Radio.Group
              data-testid="org-form-contact-status"
              options={contactStatuses.map((s) => ({ value: s, label: t(`contactStatuses.${s}`) }))}
            />
          </Form.Item>
        </>
      )}
      {!editing && !registered && (
        <Alert type="info" showIcon title={t('organizations.filingNumberHint')} style={{ marginBottom: 16 }} />
      )}
    </FormModal>
  );
}
