import { EditOutlined, EyeOutlined, IdcardOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { disabilityKinds, memberRelations } from '@qiao/contracts';
import {
  Alert,
  Breadcrumb,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Result,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Timeline,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { useAuth } from '../../app/auth-context.js';
import { FormModal } from '../../components/form-modal.js';
import { PageTitle } from '../../components/page-title.js';
import { PageSpinner, QueryError } from '../../components/query-state.js';
import { isApiError } from '../../lib/api.js';
import { errorMessage } from '../../lib/errors.js';
import { formatInstant } from '../../lib/format.js';
import { AidApplicationsTable, AidYearSummary, ApplyForAidModal } from './aid-panel.js';
import { HouseholdEditModal } from './household-form-modal.js';
import { CategoryTag, VerificationTag } from './household-tags.js';
import {
  useAddMember,
  useHousehold,
  useRecordConsent,
  useRemoveMember,
  useRevealHousehold,
  useVerifications,
  useVerifyHousehold,
  type Household,
  type HouseholdReveal,
} from './households-api.js';
import { useJurisdictionName } from './use-jurisdiction-name.js';
import './households.css';

/** How long revealed personal data stays on screen before it is masked again. */
const REVEAL_MS = 2 * 60_000;

function RevealModal({
  householdId,
  open,
  onClose,
  onRevealed,
}: {
  householdId: number;
  open: boolean;
  onClose(): void;
  onRevealed(v: HouseholdReveal): void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const reveal = useRevealHousehold(householdId);
  return (
    <FormModal<{ reason: string }>
      open={open}
      title={t('households.revealTitle')}
      form={form}
      onClose={onClose}
      submit={async (v) => onRevealed(await reveal.mutateAsync(v.reason.trim()))}
      submitTestId="household-reveal-submit"
      submitText={t('households.reveal')}
    >
      <Alert type="warning" showIcon title={t('households.revealWarning')} style={{ marginBottom: 16 }} />
      <Form.Item
        name="reason"
        label={t('households.revealReason')}
        rules={[{ required: true, whitespace: true, min: 2, max: 500 }]}
      >
        <Input.TextArea rows={2} maxLength={500} data-testid="household-reveal-reason" />
      </Form.Item>
    </FormModal>
  );
}

function VerifyModal({ household, open, onClose }: { household: Household; open: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ note?: string }>();
  const verify = useVerifyHousehold(household.id);
  return (
    <FormModal<{ note?: string }>
      open={open}
      title={household.verification ? t('households.reverify') : t('households.verify')}
      form={form}
      onClose={onClose}
      submit={(v) => verify.mutateAsync(v.note?.trim() ? { note: v.note.trim() } : {})}
      submitTestId="household-verify-submit"
      submitText={t('households.verify')}
    >
      <Alert type="info" showIcon title={t('households.verifyHelp')} style={{ marginBottom: 16 }} />
      <Form.Item name="note" label={t('households.evidenceNote')} rules={[{ max: 500 }]}>
        <Input.TextArea
          rows={3}
          maxLength={500}
          placeholder={t('households.evidencePlaceholder')}
          data-testid="household-verify-note"
        />
      </Form.Item>
    </FormModal>
  );
}

interface MemberValues {
  name: string;
  relation: (typeof memberRelations)[number];
  birthYear?: number;
  disability?: (typeof disabilityKinds)[number];
  seriousIllness?: string;
}

function MemberModal({ householdId, open, onClose }: { householdId: number; open: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<MemberValues>();
  const add = useAddMember(householdId);
  return (
    <FormModal<MemberValues>
      open={open}
      title={t('households.addMember')}
      form={form}
      onClose={onClose}
      submit={(v) => add.mutateAsync({ ...v, seriousIllness: v.seriousIllness?.trim() || undefined })}
      submitTestId="member-submit"
    >
      <Form.Item name="name" label={t('households.memberName')} rules={[{ required: true, whitespace: true, max: 50 }]}>
        <Input maxLength={50} />
      </Form.Item>
      <Form.Item name="relation" label={t('households.relation')} rules={[{ required: true }]}>
        <Select options={memberRelations.map((r) => ({ value: r, label: t(`memberRelations.${r}`) }))} />
      </Form.Item>
      <Form.Item name="birthYear" label={t('households.birthYear')}>
        <InputNumber min={1900} max={dayjs().year()} precision={0} style={{ width: 160 }} />
      </Form.Item>
      <Alert type="info" showIcon title={t('households.sensitiveHelp')} style={{ marginBottom: 16 }} />
      <Form.Item name="disability" label={t('households.disability')}>
        <Select allowClear options={disabilityKinds.map((d) => ({ value: d, label: t(`disabilityKinds.${d}`) }))} />
      </Form.Item>
      <Form.Item name="seriousIllness" label={t('households.seriousIllness')}>
        <Input maxLength={100} />
      </Form.Item>
    </FormModal>
  );
}

interface ConsentValues {
  dataUse: boolean;
  sharing: boolean;
  on: Dayjs;
  scope: string;
}

function ConsentPanel({ household }: { household: Household }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [form] = Form.useForm<ConsentValues>();
  const record = useRecordConsent(household.id);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string>();
  const c = household.consent;
  return (
    <Card size="small">
      {c ? (
        <Descriptions
          column={1}
          items={[
            {
              key: 'use',
              label: t('households.consentDataUse'),
              children: c.dataUse ? t('common.yes') : t('common.no'),
            },
            {
              key: 'share',
              label: t('households.consentSharing'),
              children: c.sharing ? t('common.yes') : t('common.no'),
            },
            { key: 'on', label: t('households.consentOn'), children: c.on },
            { key: 'scope', label: t('households.consentScope'), children: c.scope },
          ]}
        />
      ) : (
        <Alert type="warning" showIcon title={t('households.noConsent')} style={{ marginBottom: 12 }} />
      )}
      {can('household:manage') && (
        <Form<ConsentValues>
          form={form}
          layout="vertical"
          style={{ marginTop: 16, maxWidth: 560 }}
          initialValues={{ dataUse: c?.dataUse ?? false, sharing: c?.sharing ?? false, on: dayjs(), scope: c?.scope }}
          onFinish={async (v) => {
            setError(undefined);
            try {
              await record.mutateAsync({
                dataUse: v.dataUse,
                sharing: v.sharing,
                on: v.on.format('YYYY-MM-DD'),
                scope: v.scope,
              });
              setSaved(true);
            } catch (e) {
              setError(errorMessage(t, e));
            }
          }}
        >
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
          {saved && <Alert type="success" showIcon title={t('common.saved')} style={{ marginBottom: 12 }} />}
          <Form.Item name="dataUse" valuePropName="checked">
            <Checkbox data-testid="consent-data-use">{t('households.consentDataUse')}</Checkbox>
          </Form.Item>
          <Form.Item name="sharing" valuePropName="checked">
            <Checkbox data-testid="consent-sharing">{t('households.consentSharing')}</Checkbox>
          </Form.Item>
          <Form.Item name="on" label={t('households.consentOn')} rules={[{ required: true }]}>
            <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
          </Form.Item>
          <Form.Item
            name="scope"
            label={t('households.consentScope')}
            rules={[{ required: true, whitespace: true, min: 2, max: 500 }]}
          >
            <Input.TextArea
              rows={3}
              maxLength={500}
              placeholder={t('households.consentScopePlaceholder')}
              data-testid="consent-scope"
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={record.isPending} data-testid="consent-submit">
            {t('households.recordConsent')}
          </Button>
        </Form>
      )}
    </Card>
  );
}

function VerificationHistory({ householdId }: { householdId: number }) {
  const { t } = useTranslation();
  const query = useVerifications(householdId);
  if (query.error) return <QueryError error={query.error} />;
  if (!query.data?.length) return <Alert type="info" title={t('households.neverVerified')} />;
  return (
    <Timeline
      items={query.data.map((v) => ({
        key: v.id,
        children: (
          <>
            <strong>{formatInstant(v.verifiedAt)}</strong> · {v.verifiedBy ?? '—'} ·{' '}
            {t('households.validUntil', { date: v.validUntil })}
            {v.note && <div>{v.note}</div>}
          </>
        ),
      }))}
    />
  );
}

const tabs = ['members', 'verifications', 'consent', 'aid'] as const;

/** One household: who they are, whether they may redeem, members, consent, verifications and aid. */
export function HouseholdDetailPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const id = Number(useParams()['id']);
  const [search, setSearch] = useSearchParams();
  const query = useHousehold(id);
  const nameOf = useJurisdictionName();
  const removeMember = useRemoveMember();
  const [editing, setEditing] = useState(false);
  const [verifying, setVerifying] = useState(false);
  const [revealing, setRevealing] = useState(false);
  const [addingMember, setAddingMember] = useState(false);
  const [applying, setApplying] = useState(false);
  const [revealed, setRevealed] = useState<HouseholdReveal>();
  useEffect(() => {
    if (!revealed) return;
    const timer = setTimeout(() => setRevealed(undefined), REVEAL_MS);
    return () => clearTimeout(timer);
  }, [revealed]);

  if (!Number.isInteger(id) || id <= 0 || isApiError(query.error, 'not_found'))
    return (
      <Result
        status="404"
        title={t('households.notFound')}
        extra={<Link to="/households">{t('households.backToList')}</Link>}
      />
    );
  if (query.error) return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  if (query.isPending) return <PageSpinner />;
  const h = query.data;
  const manage = can('household:manage');
  const visibleTabs = tabs.filter((k) => k !== 'aid' || can('aid:read'));
  const tab = visibleTabs.find((k) => k === search.get('tab')) ?? 'members';
  const health = new Map((revealed?.members ?? []).map((m) => [m.id, m]));

  return (
    <>
      <Breadcrumb
        style={{ marginBottom: 8 }}
        items={[{ title: <Link to="/households">{t('households.title')}</Link> }, { title: h.headName }]}
      />
      <PageTitle
        title={h.headName}
        extra={
          <Space wrap>
            {manage && (
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="household-edit">
                {t('common.edit')}
              </Button>
            )}
            {can('household:reveal') && (
              <Button icon={<EyeOutlined />} onClick={() => setRevealing(true)} data-testid="household-reveal">
                {t('households.reveal')}
              </Button>
            )}
            {h.cardNumber && (
              <Link to={`/households/${h.id}/card`} data-testid="household-card-link">
                <Button icon={<IdcardOutlined />}>{t('households.printCard')}</Button>
              </Link>
            )}
            {manage && (
              <Button
                type="primary"
                icon={<SafetyCertificateOutlined />}
                onClick={() => setVerifying(true)}
                data-testid="household-verify"
              >
                {h.verification ? t('households.reverify') : t('households.verify')}
              </Button>
            )}
          </Space>
        }
      />
      {!h.mayRedeem && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={h.redeemBlock === 'expired' ? t('households.blockExpired') : t('households.blockUnverified')}
          data-testid="household-block"
        />
      )}
      <Card size="small" style={{ marginBottom: 16 }} data-testid="household-summary">
        <Descriptions
          column={{ xs: 1, md: 2, xl: 3 }}
          items={[
            {
              key: 'id',
              label: t('households.idNumber'),
              children: (
                <span className="hh-mono" data-testid="household-id">
                  {revealed?.idNumber ?? h.idNumber}
                </span>
              ),
            },
            {
              key: 'phone',
              label: t('households.phone'),
              children: (
                <span data-testid="household-phone-value">{revealed ? (revealed.phone ?? '—') : (h.phone ?? '—')}</span>
              ),
            },
            { key: 'category', label: t('households.category'), children: <CategoryTag category={h.category} /> },
            { key: 'jurisdiction', label: t('households.jurisdiction'), children: nameOf(h.jurisdictionId) },
            { key: 'address', label: t('households.address'), children: h.address ?? '—' },
            {
              key: 'card',
              label: t('households.cardNumber'),
              children: (
                <span className="hh-mono" data-testid="household-card-number">
                  {h.cardNumber ?? '—'}
                </span>
              ),
            },
            {
              key: 'verification',
              label: t('households.verification'),
              children: (
                <span data-testid="household-verification">
                  <VerificationTag household={h} />
                  {h.verification && (
                    <div>
                      {t('households.verifiedBy', {
                        by: h.verification.verifiedBy ?? '—',
                        at: formatInstant(h.verification.verifiedAt),
                      })}
                      {h.verification.note && <div>{h.verification.note}</div>}
                    </div>
                  )}
                </span>
              ),
            },
          ]}
        />
        {revealed && <Alert type="warning" showIcon title={t('households.revealedNotice')} />}
      </Card>
      <Tabs
        activeKey={tab}
        onChange={(key) => setSearch(key === 'members' ? {} : { tab: key }, { replace: true })}
        items={visibleTabs.map((key) => ({
          key,
          label: {
            members: t('households.tabMembers'),
            verifications: t('households.tabVerifications'),
            consent: t('households.tabConsent'),
            aid: t('households.tabAid'),
          }[key],
          children:
            key === 'members' ? (
              <>
                {manage && (
                  <Button style={{ marginBottom: 12 }} onClick={() => setAddingMember(true)} data-testid="member-add">
                    {t('households.addMember')}
                  </Button>
                )}
                <Table
                  rowKey="id"
                  pagination={false}
                  dataSource={h.members}
                  columns={[
                    { title: t('households.memberName'), dataIndex: 'name' },
                    {
                      title: t('households.relation'),
                      key: 'relation',
                      render: (_, m) => t(`memberRelations.${m.relation}`),
                    },
                    { title: t('households.birthYear'), key: 'birthYear', render: (_, m) => m.birthYear ?? '—' },
                    {
                      title: t('households.health'),
                      key: 'health',
                      render: (_, m) => {
                        if (!m.hasSensitive) return '—';
                        const shown = health.get(m.id);
                        if (!shown) return <Tag>{t('households.healthHidden')}</Tag>;
                        return [
                          shown.disability && shown.disability !== 'none'
                            ? t(`disabilityKinds.${shown.disability}`)
                            : null,
                          shown.seriousIllness,
                        ]
                          .filter(Boolean)
                          .join('；');
                      },
                    },
                    ...(manage
                      ? [
                          {
                            title: t('common.actions'),
                            key: 'actions',
                            render: (_: unknown, m: Household['members'][number]) => (
                              <Popconfirm
                                title={t('households.removeMemberConfirm', { name: m.name })}
                                okText={t('common.confirm')}
                                cancelText={t('common.cancel')}
                                onConfirm={() => removeMember.mutateAsync(m.id)}
                              >
                                <Button danger size="small">
                                  {t('households.removeMember')}
                                </Button>
                              </Popconfirm>
                            ),
                          },
                        ]
                      : []),
                  ]}
                />
              </>
            ) : key === 'verifications' ? (
              <VerificationHistory householdId={h.id} />
            ) : key === 'consent' ? (
              <ConsentPanel household={h} />
            ) : (
              <>
                <AidYearSummary householdId={h.id} />
                {can('aid:manage') && (
                  <Button
                    type="primary"
                    style={{ marginBottom: 12, marginRight: 12 }}
                    disabled={!h.mayRedeem}
                    onClick={() => setApplying(true)}
                    data-testid="aid-apply"
                  >
                    {t('aid.apply')}
                  </Button>
                )}
                <AidApplicationsTable householdId={h.id} />
              </>
            ),
        }))}
      />
      {manage && (
        <>
          <HouseholdEditModal household={h} open={editing} onClose={() => setEditing(false)} />
          <VerifyModal household={h} open={verifying} onClose={() => setVerifying(false)} />
          <MemberModal householdId={h.id} open={addingMember} onClose={() => setAddingMember(false)} />
        </>
      )}
      <RevealModal
        householdId={h.id}
        open={revealing}
        onClose={() => setRevealing(false)}
        onRevealed={(v) => setRevealed(v)}
      />
      {can('aid:manage') && <ApplyForAidModal householdId={h.id} open={applying} onClose={() => setApplying(false)} />}
    </>
  );
}
