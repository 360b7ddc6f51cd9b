import type { OrganizationKind, OrganizationStatus } from '@qiao/contracts';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

const statusColors: Record<OrganizationStatus, string> = {
  draft: 'default',
  submitted: 'processing',
  under_review: 'gold',
  active: 'green',
  rejected: 'red',
  dormant: 'orange',
  suspended: 'volcano',
  deregistered: 'default',
};

const kindColors: Record<OrganizationKind, string> = {
  social_group: 'blue',
  social_service_agency: 'cyan',
  foundation: 'purple',
  community_org: 'geekblue',
};

/** An organization's kind, in the registry's words (社会团体, 基金会…). */
export function KindTag({ kind }: { kind: OrganizationKind }) {
  const { t } = useTranslation();
  return (
    <Tag color={kindColors[kind]} variant="outlined">
      {t(`orgKinds.${kind}`)}
    </Tag>
  );
}

/** An organization's registration status, coloured by how well it stands. */
export function StatusTag({ status }: { status: OrganizationStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={statusColors[status]} data-status={status}>
      {t(`orgStatuses.${status}`)}
    </Tag>
  );
}
