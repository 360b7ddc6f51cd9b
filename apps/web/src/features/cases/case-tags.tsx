import type { CaseLevel, CaseSeverity, CaseStatus } from '@qiao/contracts';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

const severityColors: Record<CaseSeverity, string> = {
  low: 'default',
  medium: 'blue',
  high: 'orange',
  critical: 'red',
};
const statusColors: Record<CaseStatus, string> = { open: 'gold', acknowledged: 'processing', resolved: 'success' };

export function SeverityTag({ severity }: { severity: CaseSeverity }) {
  const { t } = useTranslation();
  return <Tag color={severityColors[severity]}>{t(`caseSeverities.${severity}`)}</Tag>;
}

export function CaseStatusTag({ status }: { status: CaseStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={statusColors[status]} data-testid="case-status">
      {t(`caseStatuses.${status}`)}
    </Tag>
  );
}

/** Only shown once a case has left its subdistrict. */
export function LevelTag({ level }: { level: CaseLevel }) {
  const { t } = useTranslation();
  if (level === 'subdistrict') return null;
  return (
    <Tag color="magenta" data-testid="case-escalated">
      {t('cases.escalatedTo', { level: t(`levels.${level}`) })}
    </Tag>
  );
}

export function OverdueTag({ overdue }: { overdue: boolean }) {
  const { t } = useTranslation();
  if (!overdue) return null;
  return (
    <Tag color="red" data-testid="case-overdue">
      {t('cases.overdue')}
    </Tag>
  );
}
