import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageTitle } from '../../components/page-title.js';
import { AidApplicationsTable } from './aid-panel.js';
import { formatFen, useHouseholdSettings } from './households-api.js';

/** Every aid application of the caller's subtree: the approval queue, payments, history. */
export function AidPage() {
  const { t } = useTranslation();
  const settings = useHouseholdSettings();
  return (
    <>
      <PageTitle title={t('aid.title')} />
      {settings.data && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('aid.thresholds', {
            second: formatFen(settings.data.aidSecondApprovalFen),
            cap: formatFen(settings.data.aidYearlyCapFen),
          })}
          description={t('aid.applyFromHousehold')}
        />
      )}
      <AidApplicationsTable showHousehold />
    </>
  );
}
