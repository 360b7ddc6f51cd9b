import type { HardshipCategory, HouseholdSummary } from '@qiao/contracts';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

const categoryColors: Record<HardshipCategory, string> = {
  subsistence_allowance: 'blue',
  low_income: 'cyan',
  extreme_poverty: 'magenta',
  expenditure_hardship: 'orange',
  temporary_hardship: 'gold',
};

export function CategoryTag({ category }: { category: HardshipCategory }) {
  const { t } = useTranslation();
  return <Tag color={categoryColors[category]}>{t(`hardshipCategories.${category}`)}</Tag>;
}

/** Verified (through when), expired, or not yet verified: what decides whether the household may redeem. */
export function VerificationTag({ household }: { household: HouseholdSummary }) {
  const { t } = useTranslation();
  if (household.redeemBlock === 'unverified') return <Tag color="default">{t('households.unverified')}</Tag>;
  if (household.redeemBlock === 'expired')
    return <Tag color="red">{t('households.expired', { date: household.verification?.validUntil })}</Tag>;
  return <Tag color="green">{t('households.validUntil', { date: household.verification?.validUntil })}</Tag>;
}
