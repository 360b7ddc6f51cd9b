import type { ApplicationStatus } from '@qiao/contracts';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

const colors: Record<ApplicationStatus, string> = {
  submitted: 'processing',
  under_review: 'gold',
  returned: 'orange',
  approved: 'green',
  rejected: 'red',
};

/** Where an application stands, coloured by how close it is to a decision. */
export function ApplicationStatusTag({ status }: { status: ApplicationStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={colors[status]} data-status={status}>
      {t(`applicationStatuses.${status}`)}
    </Tag>
  );
}
