import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { levelColors, useRiskRules, type RiskLevel } from './risk-api.js';

export function LevelTag({ level }: { level: RiskLevel }) {
  const { t } = useTranslation();
  return (
    <Tag color={levelColors[level]} data-testid={`risk-level-${level}`}>
      {t(`riskLevels.${level}`)}
    </Tag>
  );
}

/** A rule's name in the user's language, from the rule registry the server keeps. */
export function useRuleName() {
  const { i18n } = useTranslation();
  const rules = useRiskRules();
  const byId = new Map((rules.data?.items ?? []).map((r) => [r.id, r]));
  return (id: string) => {
    const rule = byId.get(id);
    if (!rule) return id;
    return i18n.language === 'en' ? rule.description.en : rule.description['zh-CN'];
  };
}

/** Evidence as "label: value" pairs: dates as YYYY-MM-DD, counts as numbers, none as —. */
export function Evidence({ evidence }: { evidence: Record<string, unknown> }) {
  const { t } = useTranslation();
  const entries = Object.entries(evidence);
  if (entries.length === 0) return <span>—</span>;
  return (
    <span>
      {entries
        .map(
          ([key, value]) =>
            `${t(`riskEvidence.${key}`)}: ${value === null || value === undefined ? '—' : String(value)}`,
        )
        .join('；')}
    </span>
  );
}
