import { EyeInvisibleOutlined, EyeOutlined } from '@ant-design/icons';
import type { Organization } from '@qiao/contracts';
import { Button, Card, Descriptions, Space, Tag, Typography } from 'antd';
import type { DescriptionsProps } from 'antd';
import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth-context.js';
import { registryPermissions } from '../../lib/registry-permissions.js';
import type { Revealed } from './organizations-api.js';
import { RevealModal } from './reveal-modal.js';
import { ServiceFieldTags } from './organization-values.js';

/** How long revealed personal data stays on screen before it is masked again. */
const REVEAL_MS = 2 * 60_000;

function dash(value: string | number | null | undefined): ReactNode {
  return value === null || value === undefined || value === '' ? '—' : value;
}

function TagsAndText({ value }: { value: Organization['needs'] }) {
  if (!value || (value.tags.length === 0 && !value.text)) return <>—</>;
  return (
    <div>
      {value.tags.length > 0 && (
        <Space size={[0, 4]} wrap style={{ marginBottom: value.text ? 4 : 0 }}>
          {value.tags.map((tag) => (
            <Tag key={tag} color="blue">
              {tag}
            </Tag>
          ))}
        </Space>
      )}
      {value.text && (
        <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{value.text}</Typography.Paragraph>
      )}
    </div>
  );
}

function branchValue(branch: Organization['partyBranch'], key: string): unknown {
  return branch ? branch[key] : undefined;
}

/** Everything the registry holds about an organization; personal data masked until revealed with a reason. */
export function ProfileCard({ organization: org }: { organization: Organization }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [revealing, setRevealing] = useState(false);
  const [revealed, setRevealed] = useState<Revealed>();
  const person = org.personInCharge;
  const hasPersonalData = Boolean(person && (person.idNumber || person.phone));

  useEffect(() => {
    if (!revealed) return;
    const timer = setTimeout(() => setRevealed(undefined), REVEAL_MS);
    return () => clearTimeout(timer);
  }, [revealed]);

  const revealButton =
    person?.masked && hasPersonalData && can(registryPermissions.reveal) ? (
      revealed ? (
        <Button
          size="small"
          icon={<EyeInvisibleOutlined />}
          onClick={() => setRevealed(undefined)}
          data-testid="org-hide"
        >
          {t('organizations.hide')}
        </Button>
      ) : (
        <Button size="small" icon={<EyeOutlined />} onClick={() => setRevealing(true)} data-testid="org-reveal">
          {t('organizations.reveal')}
        </Button>
      )
    ) : null;

  const personal = (value: string | null | undefined, shown: string | null | undefined, testId: string) => (
    <Typography.Text code={Boolean(revealed)} data-testid={testId}>
      {revealed ? dash(shown) : dash(value)}
    </Typography.Text>
  );

  const branch = org.partyBranch;
  const branchKind = branchValue(branch, 'kind');
  const registered = org.uscc !== null;

  const items: DescriptionsProps['items'] = [
    { key: 'name', label: t('organizations.name'), children: org.name },
    { key: 'nameEn', label: t('organizations.nameEn'), children: dash(org.nameEn) },
    { key: 'foundedOn', label: t('organizations.foundedOn'), children: dash(org.foundedOn) },
    ...(registered
      ? [
          { key: 'registeredOn', label: t('organizations.registeredOn'), children: dash(org.registeredOn) },
          {
            key: 'registrationAuthority',
            label: t('organizations.registrationAuthority'),
            children: dash(org.registrationAuthority),
          },
          {
            key: 'certificateExpiresOn',
            label: t('organizations.certificateExpiresOn'),
            children: dash(org.certificateExpiresOn),
          },
        ]
      : []),
    { key: 'supervisingUnit', label: t('organizations.supervisingUnit'), children: dash(org.supervisingUnit) },
    { key: 'address', label: t('organizations.address'), children: dash(org.address), span: 2 },
  ];

  const personItems: DescriptionsProps['items'] = [
    { key: 'picName', label: t('organizations.picName'), children: dash(person?.name) },
    {
      key: 'picId',
      label: t('organizations.picIdNumber'),
      children: personal(person?.idNumber, revealed?.idNumber, 'org-pic-id-number'),
    },
    {
      key: 'picPhone',
      label: t('organizations.picPhone'),
      children: personal(person?.phone, revealed?.phone, 'org-pic-phone'),
    },
  ];

  const serviceItems: DescriptionsProps['items'] = [
    {
      key: 'fields',
      label: t('organizations.fields'),
      children: <ServiceFieldTags fields={org.fields} t={t} />,
      span: 3,
    },
    { key: 'members', label: t('organizations.membersCount'), children: dash(org.membersCount) },
    { key: 'staff', label: t('organizations.staffCount'), children: dash(org.staffCount) },
    { key: 'volunteers', label: t('organizations.volunteersCount'), children: dash(org.volunteersCount) },
    { key: 'needs', label: t('organizations.needs'), children: <TagsAndText value={org.needs} />, span: 3 },
    {
      key: 'capabilities',
      label: t('organizations.capabilities'),
      children: <TagsAndText value={org.capabilities} />,
      span: 3,
    },
  ];

  const letter = branchValue(branch, 'commitmentLetter');
  const partyItems: DescriptionsProps['items'] = [
    {
      key: 'kind',
      label: t('organizations.partyBranch'),
      children: typeof branchKind === 'string' ? t(`partyBranchKinds.${branchKind}`) : '—',
    },
    ...(typeof branchKind === 'string' && branchKind !== 'none'
      ? [
          {
            key: 'members',
            label: t('organizations.partyMembers'),
            children: dash(branchValue(branch, 'membersCount') as number | undefined),
          },
          {
            key: 'secretary',
            label: t('organizations.partySecretary'),
            children: dash(branchValue(branch, 'secretary') as string | undefined),
          },
          {
            key: 'established',
            label: t('organizations.partyEstablishedOn'),
            children: dash(branchValue(branch, 'establishedOn') as string | undefined),
          },
        ]
      : []),
    {
      key: 'letter',
      label: t('organizations.commitmentLetter'),
      children: typeof letter === 'boolean' ? (letter ? t('common.yes') : t('common.no')) : '—',
    },
  ];

  const column = { xs: 1, md: 2, xl: 3 };
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card title={t('organizations.sectionBasic')} size="small">
        <Descriptions column={column} items={items} />
      </Card>
      <Card
        title={t('organizations.personInCharge')}
        size="small"
        extra={revealButton}
        data-testid="org-person-in-charge"
      >
        <Descriptions column={column} items={personItems} />
        {revealed && <Typography.Text type="secondary">{t('organizations.revealedHint')}</Typography.Text>}
      </Card>
      <Card title={t('organizations.sectionService')} size="small">
        <Descriptions column={column} items={serviceItems} />
      </Card>
      <Card title={t('organizations.sectionParty')} size="small">
        <Descriptions column={column} items={partyItems} />
      </Card>
      <RevealModal
        organizationId={org.id}
        open={revealing}
        onClose={() => setRevealing(false)}
        onRevealed={setRevealed}
      />
    </Space>
  );
}
