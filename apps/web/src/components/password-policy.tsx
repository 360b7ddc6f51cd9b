import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** The server's password policy in words, shown before anyone types and fails. */
export function PasswordPolicy() {
  const { t } = useTranslation();
  return (
    <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 12 }}>
      {t('password.policyTitle')}
      <ul style={{ margin: '4px 0 0', paddingInlineStart: 20 }}>
        <li>{t('password.policyLength')}</li>
        <li>{t('password.policyClasses')}</li>
        <li>{t('password.policyUsername')}</li>
        <li>{t('password.policyCommon')}</li>
      </ul>
    </Typography.Text>
  );
}
